"""tally load: a finished batch goes into the ledger's store as `tally ingest` would have put
it, and loading it again adds nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tally import batch, ledger, store
from tally.batch.load import load
from tally.cli import main
from tally.store import Store


def contents(st: Store) -> tuple[dict[str, int], list[tuple[str, str | None, dict[str, object]]]]:
    counts = st.counts()
    del counts["runs"], counts["run_errors"]  # a log of runs, not data
    figs = [(sf.document, sf.story, sf.figure.as_dict()) for sf in st.figures()]
    return counts, figs


def test_loading_a_batch_stores_what_ingesting_its_inputs_stores(news_warc: Path, tmp_path: Path) -> None:
    batch.run([str(news_warc)], tmp_path / "out", workers=2)
    with store.open(str(tmp_path / "loaded.db")) as a, store.open(str(tmp_path / "ingested.db")) as b:
        summary = load(tmp_path / "out", a)
        ledger.ingest([str(news_warc)], b)
        assert contents(a) == contents(b)
    assert (summary.counts.documents, summary.counts.new) == (6, 6)
    assert summary.counts.figures == len(contents_figs(tmp_path / "loaded.db"))


def contents_figs(db: Path) -> list[object]:
    with store.open(str(db)) as st:
        return list(st.figures())


def test_loading_twice_changes_nothing(news_warc: Path, tmp_path: Path, store_url: str) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    batch.run([str(news_warc), str(bad)], tmp_path / "out", workers=1)
    with store.open(store_url) as st:
        first = load(tmp_path / "out", st)
        once = contents(st)
        second = load(tmp_path / "out", st)
        assert contents(st) == once
        assert [f.line() for f in st.run_errors(second.run_id)] == [f"tally: {bad}: empty file"]
    assert (first.counts.new, first.counts.failed, first.counts.figures) == (6, 1, once[0]["figures"])
    assert (second.counts.new, second.counts.skipped, second.counts.figures) == (0, 6, 0)


def test_a_batch_already_ingested_is_unchanged_by_load(news_warc: Path, tmp_path: Path) -> None:
    batch.run([str(news_warc)], tmp_path / "out", workers=1)
    with store.open(str(tmp_path / "db.sqlite")) as st:
        ledger.ingest([str(news_warc)], st)
        before = contents(st)
        summary = load(tmp_path / "out", st)
        assert contents(st) == before
    assert summary.counts.skipped == 6


def test_the_cli_loads_a_batch_and_refuses_a_folder_that_is_none(news_warc: Path, tmp_path: Path) -> None:
    batch.run([str(news_warc)], tmp_path / "out", workers=1)
    db = str(tmp_path / "ledger.db")
    ok = CliRunner().invoke(main, ["load", str(tmp_path / "out"), "--db", db])
    assert ok.exit_code == 0, ok.output
    assert ok.stderr.startswith("tally: run 1: 6 documents (6 new, 0 updated, 0 unchanged, 0 skipped")
    (tmp_path / "empty").mkdir()
    bad = CliRunner().invoke(main, ["load", str(tmp_path / "empty"), "--db", db])
    assert bad.exit_code == 2
    assert (
        bad.stderr
        == f"tally: {tmp_path / 'empty'} is not a finished batch: it has no manifest.json (run `tally batch` first)\n"
    )
