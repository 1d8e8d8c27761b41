"""From articles to the reconciled account, through the real extractor and store:
five outlets restate one report, two speak for themselves, one of them at odds.

The articles in tests/data/echoes are written for this test.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tally.cli import main

ECHOES = Path(__file__).parent / "data" / "echoes" / "articles.jsonl"


def test_one_report_echoed_by_four_outlets_two_independent_points_and_the_planted_conflict(tmp_path):
    db = str(tmp_path / "ledger.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(ECHOES), "--db", db]).exit_code == 0
    out = runner.invoke(main, ["series", "--db", db]).stdout
    assert "7 points, 3 independent" in out
    assert out.count("└ echo of #1") == 4
    assert "! qualifier" not in out  # "more than" for "at least" keeps the hedge class: no mutation
    conflicts = [line for line in out.splitlines() if line.startswith("conflict")]
    assert conflicts and all("12,000" in line for line in conflicts)  # only the planted report
    assert "best 2015:" in out
