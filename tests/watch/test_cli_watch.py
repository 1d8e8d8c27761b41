"""`tally watch` on the command line: alerts on stdout, log lines on stderr, --once for cron
with an exit code that says whether anything failed, and settings mistakes in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tally.cli import main

from .conftest import rss, rss_item


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("TALLY_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def tally(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_once_prints_each_alert_once_and_logs_the_round(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(rss_item("service")), encoding="utf-8")
    first = tally("watch", str(feed), "--once", "--db", "ledger.db")
    assert first.exit_code == 0, first.stderr
    (alert,) = [json.loads(line) for line in first.stdout.splitlines()]
    assert alert["event"] == "new_report" and alert["id"] == 1
    assert "info round.done round=1 sources=1" in first.stderr and "stored=1" in first.stderr

    feed.write_text(rss(rss_item("echo"), rss_item("service")), encoding="utf-8")
    second = tally("watch", "--once", "--db", "ledger.db", str(feed))
    assert [json.loads(line)["event"] for line in second.stdout.splitlines()] == ["new_point"]
    third = tally("watch", "--once", "--db", "ledger.db", str(feed))
    assert third.exit_code == 0 and third.stdout == "" and "unchanged=1" in third.stderr


def test_once_exits_1_when_a_source_failed_and_names_it(tmp_path: Path) -> None:
    good = tmp_path / "wire.xml"
    good.write_text(rss(rss_item("service")), encoding="utf-8")
    result = tally("watch", "--once", "--db", "ledger.db", "missing.xml", str(good))
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "source.failed" in x]
    assert (
        'source=missing.xml failures=1 retry_in=30m problem="unreadable: no such file or directory"' in line
    )
    assert len(result.stdout.splitlines()) == 1  # the good source was read all the same


def test_sources_and_interval_come_from_the_watch_table(tmp_path: Path) -> None:
    (tmp_path / "wire.xml").write_text(rss(rss_item("service")), encoding="utf-8")
    (tmp_path / "tally.toml").write_text('[watch]\nsources = ["wire.xml"]\nevery = "2h"\n', encoding="utf-8")
    result = tally("watch", "--once", "--db", "ledger.db")
    assert result.exit_code == 0 and "watch.start sources=1 every=2h" in result.stderr


def test_a_bad_interval_is_refused_by_the_option() -> None:
    result = tally("watch", "x.xml", "--every", "soon")
    assert result.exit_code == 2
    assert "Invalid value for '--every': expected a duration such as '30m'" in result.stderr


@pytest.mark.parametrize(
    ("toml", "args", "message"),
    [
        ("", [], "tally: nothing to watch: name feeds, sitemaps or URL lists, or set [watch] sources"),
        (
            '[[alerts]]\nname = "hook"\nwebhook = "https://hooks.example/x"\n',
            ["x.xml"],
            "tally: [[alerts]] 'hook' posts to a webhook: set TALLY_WEBHOOK_SECRET in the environment",
        ),
    ],
)
def test_settings_mistakes_are_one_line_and_exit_2(
    tmp_path: Path, toml: str, args: list[str], message: str
) -> None:
    (tmp_path / "tally.toml").write_text(toml, encoding="utf-8")
    result = tally("watch", "--once", "--db", "ledger.db", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
