"""The ledger commands, end to end through the stand-in pipeline: ingest, series,
figures, sources, export, db upgrade, and the settings that choose the store."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import ModuleType

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from tally import settings
from tally.cli import main
from tally.errors import ConfigError
from tally.store import migrate


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No TALLY_* from the caller's shell, and no tally.toml but the test's own."""
    for name in list(__import__("os").environ):
        if name.startswith("TALLY_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def tally(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _soufan_corpus(fp: ModuleType, folder: Path) -> None:
    """Five outlets restate one report, two make their own statements, one of them at odds."""
    restated = [
        ("nyt", "2015-12-07", "the Soufan Group", "at_least"),
        ("guardian", "2015-12-08", "a recent report by the Soufan Group", "at_least"),
        ("bbc", "2015-12-09", "Soufan Group", "at_least"),
        ("mail", "2015-12-10", "the Soufan Group's report", "more_than"),
        ("monde", "2015-12-11", "The Soufan Group", "at_least"),
    ]
    for name, day, source, qualifier in restated:
        fp.write_doc(
            folder,
            name,
            text=f"{name}: {qualifier} 27,000 foreign fighters, {source}",
            published=day,
            outlet=name.upper(),
            figures=[
                {"value": 27000, "qualifier": qualifier, "source": source, "origin": None, "span": "27,000"}
            ],
        )
    fp.write_doc(
        folder,
        "un",
        text="UN: between 20,000 and 31,000",
        published="2015-11-01",
        outlet="UN News",
        figures=[
            {
                "low": 20000,
                "high": 31000,
                "qualifier": "range",
                "source": "the UN",
                "origin": None,
                "span": "between 20,000 and 31,000",
            }
        ],
    )
    fp.write_doc(
        folder,
        "afp",
        text="Ministry: about 20,000",
        published="2015-10-01",
        outlet="AFP",
        figures=[
            {
                "value": 20000,
                "qualifier": "approx",
                "source": "the interior ministry",
                "origin": None,
                "span": "about 20,000",
            }
        ],
    )


@pytest.fixture
def ledger_db(fake_pipeline: ModuleType, tmp_path: Path) -> str:
    """A SQLite store holding the Soufan corpus and a few French figures."""
    folder = tmp_path / "in"
    folder.mkdir()
    _soufan_corpus(fake_pipeline, folder)
    fake_pipeline.write_doc(
        folder,
        "fr",
        text="390 returned to France",
        published="2018-02-01",
        outlet="Le Monde",
        figures=[
            {"value": 390, "status": "returned", "source": "Collomb"},
            {"value": 300, "status": "killed", "period": "in 2017"},
        ],
    )
    db = str(tmp_path / "ledger.db")
    result = tally("ingest", "--db", db, str(folder))
    assert result.exit_code == 0, result.output
    return db


def test_ingest_reports_the_run_and_a_second_run_stores_nothing(ledger_db: str, tmp_path: Path) -> None:
    again = tally("ingest", "--db", ledger_db, str(tmp_path / "in"))
    assert again.exit_code == 0
    assert "8 documents (0 new, 0 updated, 0 unchanged, 8 skipped, 0 failed), 0 figures" in again.stderr


def test_failed_inputs_print_one_line_each_and_exit_1(fake_pipeline: ModuleType, tmp_path: Path) -> None:
    fake_pipeline.write_doc(tmp_path, "ok", text="fine", figures=[{"value": 3}])
    fake_pipeline.write_doc(tmp_path, "bad", text="x", fail="no text left after cleaning")
    result = tally(
        "ingest",
        "--db",
        str(tmp_path / "x.db"),
        str(tmp_path / "ok.json"),
        str(tmp_path / "bad.json"),
        str(tmp_path / "gone"),
    )
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("tally: ") and "run " not in ln]
    assert lines == [
        f"tally: {tmp_path / 'bad.json'}: no text left after cleaning",
        f"tally: {tmp_path / 'gone'}: no such file or folder",
    ]
    assert "1 new" in result.stderr and "2 failed" in result.stderr


def test_progress_bar_shows_rate_on_stderr(fake_pipeline: ModuleType, tmp_path: Path) -> None:
    fake_pipeline.write_corpus(tmp_path / "in", 3)
    result = tally("ingest", "--progress", "--db", str(tmp_path / "x.db"), str(tmp_path / "in"))
    assert "3/3" in result.stderr and "doc/s" in result.stderr
    assert result.stdout == ""


def test_workers_option_runs_in_parallel(fake_pipeline: ModuleType, tmp_path: Path) -> None:
    fake_pipeline.write_corpus(tmp_path / "in", 6)
    result = tally("ingest", "-j", "2", "--db", str(tmp_path / "x.db"), str(tmp_path / "in"))
    assert result.exit_code == 0 and "6 new" in result.stderr


def test_series_shows_one_origin_four_echoes_two_independents_and_the_conflict(ledger_db: str) -> None:
    result = tally("series", "--db", ledger_db)
    assert result.exit_code == 0
    block = result.stdout.split("\n\n")[-1]
    assert block.startswith(
        "origin unknown · joined · militants · cumulative: 7 points, 3 independent, 1 conflict"
    )
    assert block.count("└ echo of #3") == 4
    assert "! qualifier" not in block  # "more than" for "at least": one hedge class, no mutation
    assert "conflict 2015: #1 vs #3" in block
    assert "best 2015: 20,000–31,000 (#2, the UN) by most independent sources, 3 of 3 agree" in block


def test_series_for_one_origin_as_json(ledger_db: str) -> None:
    data = json.loads(tally("series", "--db", ledger_db, "--origin", "fr", "--format", "json").stdout)
    assert [(s["status"], s["points"]) for s in data] == [("killed", 1), ("returned", 1)]
    assert data[0]["chains"][0]["origin"]["as_of"] == "2017"
    assert data[1]["estimates"][0]["rule"] == "single source"


def test_figures_filter_and_format(ledger_db: str) -> None:
    rows = json.loads(tally("figures", "--db", ledger_db, "--origin", "FR", "--format", "json").stdout)
    assert sorted(r["value"] for r in rows) == [300, 390]
    assert [
        r["value"]
        for r in json.loads(
            tally("figures", "--db", ledger_db, "--status", "returned", "--format", "json").stdout
        )
    ] == [390]
    assert (
        len(json.loads(tally("figures", "--db", ledger_db, "--source", "soufan", "--format", "json").stdout))
        == 5
    )
    since = json.loads(tally("figures", "--db", ledger_db, "--since", "2017", "--format", "json").stdout)
    assert sorted(r["value"] for r in since) == [300, 390]
    table = tally("figures", "--db", ledger_db, "--origin", "FR").stdout
    assert table.splitlines()[0].split()[:4] == ["id", "as_of", "origin", "status"]
    assert "Collomb" in table
    rows_csv = list(
        csv.DictReader(tally("figures", "--db", ledger_db, "--format", "csv").stdout.splitlines())
    )
    assert len(rows_csv) == 9 and {"quote", "start", "end", "document", "story"} <= set(rows_csv[0])


def test_sources_merge_spellings(ledger_db: str) -> None:
    rows = json.loads(tally("sources", "--db", ledger_db, "--format", "json").stdout)
    soufan = rows[0]
    assert (soufan["source"].casefold(), soufan["figures"], soufan["outlets"]) == ("the soufan group", 5, 5)
    assert len(soufan["spellings"]) == 5 and soufan["entity"] == "soufan-group"
    assert "The Soufan Group" in tally("sources", "--db", ledger_db).stdout  # the entity's name


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_writes_every_table(ledger_db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    result = tally("export", "--db", ledger_db, "--format", fmt, str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{t}.{fmt}"
        for t in ("outlets", "stories", "runs", "run_errors", "documents", "seen_inputs", "figures")
    )
    path = out / f"figures.{fmt}"
    if fmt == "csv":
        n = len(list(csv.DictReader(path.read_text(encoding="utf-8").splitlines())))
    elif fmt == "json":
        n = len(json.loads(path.read_text(encoding="utf-8")))
    else:
        n = pq.read_table(path).num_rows
    assert n == 9


def test_db_upgrade_creates_the_store_and_says_where_it_stands(tmp_path: Path) -> None:
    result = tally("db", "upgrade", "--db", str(tmp_path / "new.db"))
    assert result.exit_code == 0 and f"at revision {migrate.head()} (head)" in result.stdout
    assert (tmp_path / "new.db").exists()


def test_empty_store_says_what_to_do(tmp_path: Path) -> None:
    result = tally("series", "--db", str(tmp_path / "empty.db"))
    assert result.exit_code == 0 and "tally ingest PATH" in result.stderr


def test_the_store_comes_from_tally_db_then_the_option(
    fake_pipeline: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pipeline.write_doc(tmp_path, "a", text="3 fighters", figures=[{"value": 3}])
    monkeypatch.setenv("TALLY_DB", str(tmp_path / "env.db"))
    assert tally("ingest", str(tmp_path / "a.json")).exit_code == 0
    assert (tmp_path / "env.db").exists() and not (tmp_path / "tally.db").exists()
    assert tally("ingest", "--db", str(tmp_path / "opt.db"), str(tmp_path / "a.json")).exit_code == 0
    assert (tmp_path / "opt.db").exists()


def test_default_store_is_tally_db_in_the_working_folder(fake_pipeline: ModuleType, tmp_path: Path) -> None:
    fake_pipeline.write_doc(tmp_path, "a", text="3 fighters", figures=[{"value": 3}])
    assert tally("ingest", "a.json").exit_code == 0
    assert (tmp_path / "tally.db").exists()


def test_a_bad_setting_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALLY_WORKER", "2")
    result = tally("series")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("tally: environment TALLY_WORKER: unknown setting 'worker'")


def test_a_bad_filter_value_is_one_line_saying_what_it_takes_and_exit_2(ledger_db: str) -> None:
    result = tally("figures", "--db", ledger_db, "--status", "dead")
    assert result.exit_code == 2
    assert result.stderr.startswith("tally: unknown status 'dead': use one of ")
    assert tally("figures", "--db", ledger_db, "--origin", "France").exit_code == 0


def test_settings_precedence_default_config_env_command_line(tmp_path: Path) -> None:
    conf = tmp_path / "tally.toml"
    defaults = settings.load(env={}).values
    assert {k: defaults[k] for k in ("db", "workers", "token")} == {
        "db": "./tally.db",
        "workers": 1,
        "token": None,
    }
    conf.write_text('db = "from-config.db"\nworkers = 3\n')
    s = settings.load(env={})  # ./tally.toml is read from the working folder
    assert (s.db, s.workers, s.origins["db"]) == ("from-config.db", 3, f"config file {conf.name}")
    s = settings.load(env={"TALLY_DB": "from-env.db"})
    assert (s.db, s.workers) == ("from-env.db", 3)
    s = settings.load({"db": "from-cli.db", "workers": None}, env={"TALLY_DB": "from-env.db"})
    assert (s.db, s.workers) == ("from-cli.db", 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "unknown setting 'colour'"),
        ("workers = 0\n", "bad value 0 for 'workers'"),
        ("workers = [\n", "cannot be read"),
    ],
)
def test_config_file_errors_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    conf = tmp_path / "other.toml"
    conf.write_text(text)
    with pytest.raises(ConfigError, match=message):
        settings.load(config=str(conf), env={})


def test_the_write_token_comes_from_the_environment_only(tmp_path: Path) -> None:
    assert settings.load(env={"TALLY_TOKEN": "a-long-secret"}).token == "a-long-secret"
    with pytest.raises(ConfigError, match="at least 8 characters"):
        settings.load(env={"TALLY_TOKEN": "short"})
    conf = tmp_path / "secret.toml"
    conf.write_text('token = "a-long-secret"\n')
    with pytest.raises(ConfigError, match="is a secret"):
        settings.load(config=str(conf), env={})


def test_a_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        settings.load(env={"TALLY_CONFIG": str(tmp_path / "nope.toml")})
