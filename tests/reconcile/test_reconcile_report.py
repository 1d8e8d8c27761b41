"""Series as JSON-ready dicts and as text tables, both from the same dict."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tally.reconcile import reconcile
from tally.reconcile.report import MAX_CELL, figure_text, series_dict, series_text, table
from tally.store.records import StoredFigure

MakeFigure = Callable[..., StoredFigure]


@pytest.mark.parametrize(
    ("qualifier", "value", "low", "high", "text"),
    [
        ("exact", 1490, None, None, "1,490"),
        ("approx", 170, None, None, "about 170"),
        ("nearly", 300, None, None, "nearly 300"),
        ("at_least", 27000, None, None, "at least 27,000"),
        ("more_than", 5000, None, None, "more than 5,000"),
        ("at_most", 200, None, None, "up to 200"),
        ("less_than", 50, None, None, "fewer than 50"),
        ("range", None, 2000, 2500, "2,000–2,500"),
        ("vague", None, 24, None, "at least 24"),
        ("exact", 33.3, None, None, "33.3"),
    ],
)
def test_figures_read_as_a_person_would_say_them(
    qualifier: str, value: float | None, low: float | None, high: float | None, text: str
) -> None:
    assert figure_text(qualifier, value, low, high) == text


def test_series_dict_is_json_and_numbers_chains_conflicts_and_estimates(sf: MakeFigure) -> None:
    (s,) = reconcile(
        [
            sf(390, source="Valls", published="2016-01-01"),
            sf(390, source="M. Valls", published="2016-01-02", quote="Valls: 390 are back."),
            sf(100, source="Le Monde", published="2016-01-03"),
        ]
    )
    d = series_dict(s)
    json.dumps(d)
    assert (d["label"], d["points"], d["independent"]) == ("FR · returned · militants · cumulative", 3, 2)
    assert [len(c["echoes"]) for c in d["chains"]] == [1, 0]
    assert [(k["a"], k["b"], k["year"]) for k in d["conflicts"]] == [(1, 2, 2016)]
    assert d["estimates"][0]["rule"] == "latest report"
    text = series_text(d)
    assert (
        text.splitlines()[0]
        == "FR · returned · militants · cumulative: 3 points, 2 independent, 1 conflict(s)"
    )
    assert "  └ echo of #1" in text and "conflict 2016: #1 vs #2" in text


def test_tables_align_and_cut_long_cells() -> None:
    out = table(["a", "long"], [["x", "y" * 100], [None, "z"]]).splitlines()
    assert out[0] == "a  long" and out[1].startswith("-  ---")
    assert len(out[2]) == 3 + MAX_CELL and out[2].endswith("…")
    assert out[3] == "   z"
