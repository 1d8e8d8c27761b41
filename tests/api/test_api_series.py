"""`Ledger.series()`: the reconciled account as records, the same as `tally series` says,
as tables, and drawn by `Series.plot()`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tally
from tally.cli import main


def _returned(ledger: Any) -> Any:
    (s,) = ledger.series(origin="FR", status="returned", role="militants", population="all")
    return s


def test_a_series_is_keyed_by_who_is_counted_and_what_happened_to_them(ledger: Any) -> None:
    france = ledger.series(origin="France")
    assert france and {s.origin for s in france} == {"FR"}
    keys = {(s.status, s.role, s.scope) for s in france}
    assert ("returned", "militants", "cumulative") in keys and ("joined", "militants", "cumulative") in keys
    assert ledger.series(origin="FR", scope="cumulative") == [s for s in france if s.scope == "cumulative"]


def test_independent_statements_conflicts_and_the_best_estimate_with_its_rule(ledger: Any) -> None:
    s = _returned(ledger)
    assert s.label == "FR · returned · militants · cumulative"
    # 255 adults is a part of 323: it sits under its whole, in the series of adults.
    assert [c.origin.figure for c in s.chains] == ["at least 323", "260"]
    assert next((p.figure, p.population, p.whole_id) for p in s.chains[0].parts)[:2] == ("255", "adults")
    assert {(k.a, k.b) for k in s.conflicts} == {(1, 2)}
    (best,) = s.estimates
    assert (best.year, best.figure, best.rule, best.chains) == (2018, "260", "latest report", 2)
    assert [p.best for p in s.points] == [False, True]
    assert all(p.conflict for p in s.points)


def test_an_echo_sits_under_the_report_it_repeats(ledger: Any) -> None:
    (killed,) = ledger.series(origin="FR", status="killed", role="militants", population="all")
    first = killed.chains[0]
    assert [p.echo for p in first.points] == [False, True]
    # The attributed statement is the report; the unattributed headline echoes it.
    assert first.origin.source == "la DGSI" and first.echoes[0].source is None
    assert first.echoes[0].chain == 1


def test_a_point_leads_to_its_sentence_and_its_place_in_the_stored_text(ledger: Any) -> None:
    point = next(p for p in _returned(ledger).points if p.best)
    doc = ledger.document(point.document)
    assert doc.text[point.start : point.end] == point.span == "260"
    assert point.quote in doc.text and "260 have returned to France" in point.quote
    assert (point.outlet, point.as_of, point.interval_low, point.interval_high) == (
        "Test Wire",
        "2018-11-20",
        260,
        260,
    )


def test_an_open_hedge_has_no_upper_bound(ledger: Any) -> None:
    at_least = _returned(ledger).chains[0].origin
    assert (at_least.qualifier, at_least.interval_low, at_least.interval_high) == ("at_least", 323, None)


def test_the_records_are_what_tally_series_prints_as_json(ledger: Any, ledger_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["series", "--db", str(ledger_path), "--origin", "FR", "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [s.as_dict() for s in ledger.series(origin="FR")]


def test_series_become_tables_of_their_points_and_estimates(ledger: Any) -> None:
    france = ledger.series(origin="FR")
    frame = france.to_pandas()
    assert len(frame) == sum(len(s.points) for s in france)
    assert {"origin", "status", "role", "scope", "chain", "echo", "conflict", "best", "quote", "url"} <= set(
        frame
    )
    returned = frame[(frame.status == "returned") & (frame.role == "militants")]
    assert sorted(returned.value) == [255, 260, 323]
    estimates = france.estimates.to_pandas()
    assert len(estimates) == sum(len(s.estimates) for s in france) and "rule" in estimates
    table = france.to_arrow()
    assert str(table.schema.field("mutations").type) == "list<item: string>"
    assert str(table.schema.field("interval_high").type) == "double"


def test_no_series_is_an_empty_table_that_keeps_its_columns(ledger: Any) -> None:
    none = ledger.series(origin="JP")
    assert none == [] and list(none.to_pandas().columns) == list(tally.Point.__dataclass_fields__)


def _legend_texts(ax: Any) -> list[str]:
    from matplotlib.legend import Legend

    return [t.get_text() for leg in ax.get_children() if isinstance(leg, Legend) for t in leg.get_texts()]


def test_the_plot_draws_statements_conflicts_echo_count_and_best_estimate(ledger: Any) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = _returned(ledger).plot()
    texts = _legend_texts(ax)
    assert {"statement in conflict", "best estimate"} <= set(texts)
    assert (
        "#2  260 · the ministry" in texts
        and "#1  at least 323 · les statistiques accompagnant le pl…" in texts
    )
    assert ax.get_title(loc="left") == "France · returned · militants · cumulative"
    assert "2018: 260 (latest report)" in ax.get_xlabel()
    (killed,) = ledger.series(origin="FR", status="killed", role="militants", population="all")
    assert "#1  300 · la DGSI (+1 echo)" in _legend_texts(killed.plot())
    plt.close("all")


def test_plotting_without_matplotlib_says_which_extra_to_install(
    ledger: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    with pytest.raises(tally.MissingExtra, match=r"pip install 'tally\[plot\]'"):
        _returned(ledger).plot()
