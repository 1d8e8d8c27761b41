"""From articles to reports, through the real extractor and store: one Egmont Institute
report restated in English, French and German with each kind of mutation, the same
number from the interior ministry two years later kept apart, and a breakdown whose
parts add up to more than their whole.

The articles in tests/data/reports were written for this test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tally.cli import main

ARTICLES = Path(__file__).parent / "data" / "reports" / "articles.jsonl"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("reports") / "ledger.db")
    assert CliRunner().invoke(main, ["ingest", str(ARTICLES), "--db", path]).exit_code == 0
    return path


def _json(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _egmont(db: str) -> dict[str, Any]:
    (report,) = [r for r in _json("sources", "--reports", "--db", db) if r["entity"] == "egmont"]
    return report


def test_one_report_restated_in_three_languages_is_one_report(db: str) -> None:
    report = _egmont(db)
    assert report["first"] == "2017-03-01" and report["languages"] == ["de", "en", "fr"]
    assert set(report["restated_by"]) == {"Le Soir", "Grenz-Echo", "The Daily Courier"}
    range_ = next(f for f in report["figures"] if f["figure"] == "520–560")
    assert range_["outlet"] == "The Brussels Times"  # the report's own words, not its first echo
    assert set(range_["restated_by"]) == {"Le Soir", "Grenz-Echo", "The Daily Courier"}


def test_each_mutation_is_judged_against_the_reports_own_figure(db: str) -> None:
    told = {(m["outlet"], m["kind"]) for f in _egmont(db)["figures"] for m in f["mutations"]}
    assert ("Le Soir", "range_as_bound") in told  # "au moins 520" for "between 520 and 560"
    assert ("Grenz-Echo", "range_as_bound") in told  # "rund 540", the range's midpoint
    assert ("Le Soir", "value") in told  # "quelque 140" for 137, rounded
    assert ("Grenz-Echo", "dropped_hedge") in told  # "75" for "at least 75"
    assert ("The Daily Courier", "scope") in told  # "are in Syria" for "have travelled"
    assert ("Grenz-Echo", "value") not in told  # "137" as said is no mutation


def test_the_same_number_from_another_entity_two_years_later_is_another_report(db: str) -> None:
    reports = _json("sources", "--reports", "--db", db)
    ministry = next(r for r in reports if r["entity"] == "be-interior")
    assert ministry["first"] == "2019-07-10" and ministry["restated_by"] == []
    (returned,) = [
        s for s in _json("series", "--db", db) if s["label"] == "BE · returned · militants · cumulative"
    ]
    assert returned["independent"] == 2  # Egmont's 137 and the ministry's 137 each count once


def test_a_since_date_in_german_is_where_counting_began_not_the_figures_date(db: str) -> None:
    (joined,) = [
        s for s in _json("series", "--db", db) if s["label"] == "BE · joined · militants · cumulative"
    ]
    midpoint = next(e for e in joined["chains"][0]["echoes"] if e["outlet"] == "Grenz-Echo")
    assert midpoint["as_of"] == "2017-03-03"  # "seit 2012" dates the start of counting


def test_a_breakdown_sits_under_its_whole_and_its_overcount_is_flagged(db: str) -> None:
    (whole,) = [
        s for s in _json("series", "--db", db) if s["label"] == "NL · joined · militants · cumulative"
    ]
    (chain,) = whole["chains"]
    assert chain["origin"]["figure"] == "300"
    assert {(p["figure"], p["status"]) for p in chain["parts"]} >= {
        ("250", "killed"),
        ("60", "returned"),
        ("40", "detained"),
    }
    (flag,) = whole["overcounts"]
    assert flag["total"] == 350  # 250 killed + 60 returned + 40 detained > 300
    assert whole["estimates"][0]["figure"] == "300"


def test_sources_prints_the_entities_then_the_reports(db: str) -> None:
    out = CliRunner().invoke(main, ["sources", "--db", db]).stdout
    assert "Egmont Institute · 2017-03-01: 3 figure(s), restated by 3 outlet(s) in de, en, fr" in out
    assert out.index("entity_name") < out.index("Reports")
