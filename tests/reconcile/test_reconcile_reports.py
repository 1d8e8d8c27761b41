"""Reports: an entity and a date window, with the outlets and languages that restated each
figure, computed from the chains when read."""

from __future__ import annotations

from collections.abc import Callable

from tally.reconcile import reconcile, report_dict, reports
from tally.store.records import StoredFigure

MakeFigure = Callable[..., StoredFigure]


def test_an_entitys_statements_a_week_apart_are_one_report_and_months_apart_two(sf: MakeFigure) -> None:
    figs = [
        sf(1700, source="the Interior Ministry", published="2016-03-10", status="joined"),
        sf(250, source="the Interior Ministry", published="2016-03-15", status="returned"),
        sf(1900, source="the Interior Ministry", published="2016-09-01", status="joined"),
    ]
    found = reports(reconcile(figs))
    assert [(r.first, len(r.figures)) for r in found] == [("2016-03-10", 2), ("2016-09-01", 1)]
    assert found[0].id == f"{found[0].entity.id}@2016-03-10"


def test_each_figure_counts_the_outlets_that_restated_it_once_with_their_languages(
    sf: MakeFigure,
) -> None:
    figs = [
        sf(
            1700,
            qualifier="at_least",
            source="the Interior Ministry",
            published="2016-03-10",
            outlet="Le Monde",
            lang="fr",
        ),
        sf(
            1700,
            qualifier="at_least",
            source="Interior Ministry",
            published="2016-03-11",
            outlet="Wire",
            lang="en",
        ),
        sf(
            1700,
            qualifier="more_than",
            source="the ministry of the interior",
            published="2016-03-12",
            outlet="Wire",
            lang="en",
        ),
        sf(1700, source="das Innenministerium", published="2016-03-12", outlet="Die Zeit", lang="de"),
    ]
    (report,) = [report_dict(r) for r in reports(reconcile(figs))]
    (figure,) = report["figures"]
    assert figure["restated_by"] == ["Die Zeit", "Wire"]
    assert figure["languages"] == ["de", "en", "fr"]
    assert [m["kind"] for m in figure["mutations"]] == ["dropped_hedge"]  # "1,700" for "at least 1,700"


def test_an_outlet_citing_itself_makes_no_report(sf: MakeFigure) -> None:
    figs = [sf(288, source="Atalayar (EFE)", outlet="Atalayar (EFE)")]
    assert reports(reconcile(figs)) == []
