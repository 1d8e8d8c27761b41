"""Events are the difference between the reconciled ledger and the marks of the last look:
looking twice alerts nothing twice, an older echo read late is no new report, and a
re-extraction that gives the same figures new row ids alerts nothing."""

from __future__ import annotations

from typing import Any

from tally.model import Figure
from tally.reconcile import reconcile
from tally.store import StoredFigure
from tally.watch.events import Marks, changes


def fig(fid: int, doc: str, value: float, source: str, published: str, **kw: Any) -> StoredFigure:
    quote = kw.pop("quote", f"{value:g} Danish nationals have returned, {source} said.")
    base: dict[str, Any] = dict(
        doc=doc,
        quote=quote,
        span=f"{value:g}",
        value=value,
        low=None,
        high=None,
        qualifier="exact",
        kind="count",
        role="militants",
        counted="Danish nationals",
        origin="DK",
        status="returned",
        group=None,
        place=None,
        period=None,
        source=source,
        scope="cumulative",
        start=0,
        end=3,
        published=published,
    )
    base.update(kw)
    return StoredFigure(id=fid, document=f"doc-{doc}", story=None, figure=Figure(**base))


def look(marks: Marks, figs: list[StoredFigure]) -> tuple[list[str], Marks]:
    events, after = changes(marks, reconcile(figs))
    return [e.kind for e in events], after


def test_looking_twice_at_the_same_ledger_alerts_nothing_the_second_time() -> None:
    figs = [
        fig(1, "a", 240, "the security service", "2016-05-10"),
        fig(2, "b", 410, "the institute", "2016-03-02"),
    ]
    first, marks = look(Marks(), figs)
    assert first == ["new_report", "new_report", "conflict"]
    again, same = look(marks, figs)
    assert again == [] and same == marks


def test_an_older_echo_read_late_is_a_new_point_not_a_new_report() -> None:
    _, marks = look(Marks(), [fig(1, "a", 240, "the security service", "2016-05-10")])
    older = fig(2, "z", 240, "the security service", "2016-05-01")  # becomes the chain's origin
    found, _ = changes(marks, reconcile([fig(1, "a", 240, "the security service", "2016-05-10"), older]))
    assert [e.kind for e in found] == ["new_point"]
    assert found[0].point.id == 2 and found[0].other is not None and found[0].other.id == 1


def test_the_same_figures_under_new_row_ids_alert_nothing() -> None:
    figs = [
        fig(1, "a", 240, "the security service", "2016-05-10"),
        fig(2, "b", 410, "the institute", "2016-03-02"),
    ]
    _, marks = look(Marks(), figs)
    renumbered = [
        fig(11, "a", 240, "the security service", "2016-05-10"),
        fig(12, "b", 410, "the institute", "2016-03-02"),
    ]
    assert look(marks, renumbered)[0] == []


def test_the_best_estimate_changes_when_a_second_report_agrees_with_the_other_side() -> None:
    figs = [
        fig(1, "a", 240, "the security service", "2016-05-10"),
        fig(2, "b", 410, "the institute", "2016-03-02"),
    ]
    _, marks = look(Marks(), figs)
    agree = fig(3, "c", 400, "the research centre", "2016-06-20", qualifier="approx")
    events, after = changes(marks, reconcile([*figs, agree]))
    assert [e.kind for e in events] == ["new_report", "conflict", "best_changed"]
    best = events[-1]
    assert best.before is not None and best.before["source"] == "the security service"
    assert best.point.source == "the research centre" and best.rule == "latest report"
    assert len(after.best) == 1
