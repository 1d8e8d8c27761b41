"""Who speaks for a figure its sentence does not attribute, and what a linked echo may
change: co-support, anaphora, distinctive numbers and one speaker's small numbers."""

from __future__ import annotations

from collections.abc import Callable

from tally.reconcile import reconcile
from tally.reconcile.chains import chains
from tally.reconcile.points import to_points
from tally.store.records import StoredFigure

MakeFigure = Callable[..., StoredFigure]


def _release(sf: MakeFigure) -> list[StoredFigure]:
    """The intelligence service's monthly figures, attributed, in one article."""
    d = dict(document="release", source="the NDB", origin="CH", published="2016-01-21", outlet="RTS")
    return [
        sf(73, status="joined", **d),
        sf(59, status="joined", **d),
        sf(14, status="joined", **d),
        sf(16, status="killed", **d),
    ]


def _chain_of(series: list, figure_id: int) -> object:
    return next(c for s in series for c in s.chains if figure_id in {p.id for p in c.points})


def test_an_article_giving_three_numbers_of_a_report_restates_it(sf: MakeFigure) -> None:
    d = dict(document="echo", origin="CH", published="2016-01-22", outlet="20 Minuten")
    echo = [sf(73, status="joined", **d), sf(59, status="joined", **d), sf(16, status="killed", **d)]
    series = reconcile([*_release(sf), *echo])
    for e in echo:  # small and unattributed, yet each joins the release's own figure
        chain = _chain_of(series, e.id)
        assert chain.origin.document == "release" and chain.speaker.id == "ch-ndb"


def test_a_later_snapshot_sharing_two_numbers_stays_apart(sf: MakeFigure) -> None:
    d = dict(document="march", origin="CH", published="2016-03-20", outlet="SRF")
    snapshot = [sf(72, status="joined", **d), sf(14, status="joined", **d), sf(17, status="killed", **d)]
    series = reconcile([*_release(sf), *snapshot])
    assert all(len(_chain_of(series, f.id).points) == 1 for f in snapshot)


def test_a_later_snapshot_repeating_the_history_under_a_new_total_stays_apart(sf: MakeFigure) -> None:
    # Dated by year only, both fall in one window; three numbers are shared (the history
    # and a breakdown that did not move), but not the release's headline, 73.
    d = dict(origin="CH", published="2016", status="joined")
    release = [
        sf(73, document="release", source="the NDB", **d),
        sf(40, document="release", source="the NDB", **d),
        sf(71, document="release", source="the NDB", **d),
        sf(14, document="release", source="the NDB", **d),
    ]
    snapshot = [sf(x, document="february", outlet="a blog", **d) for x in (72, 40, 71, 14)]
    series = reconcile([*release, *snapshot])
    assert all(_chain_of(series, f.id).origin.document == "february" for f in snapshot)


def test_a_generic_description_speaks_for_the_one_entity_its_article_names(sf: MakeFigure) -> None:
    d = dict(document="tribune", published="2015-01-28", outlet="The Tribune", origin=None, status="joined")
    figs = [
        sf(20000, qualifier="more_than", source="ICSR", published="2015-01-26", origin=None, status="joined"),
        sf(1200, source="the ICSR", **d),
        sf(20000, qualifier="at_most", source="the report", **d),  # round: only its speaker links it
    ]
    series = reconcile(figs)
    chain = _chain_of(series, figs[2].id)
    assert chain.origin.id == figs[0].id
    assert next(m.kind for m in chain.mutations if m.point.id == figs[2].id) == "qualifier"


def test_a_distinctive_number_links_across_a_status_read_differently(sf: MakeFigure) -> None:
    figs = [
        sf(20730, qualifier="at_most", status="joined", source="ICSR", published="2015-01-26"),
        sf(20730, status="returned", published="2015-02-01"),  # the extractor's misreading
        sf(2000, status="joined", source="Europol", published="2015-01-26"),
        sf(2000, status="returned", published="2015-02-01"),  # round: another figure
    ]
    series = reconcile(figs)
    icsr = _chain_of(series, figs[0].id)
    assert figs[1].id in {p.id for p in icsr.points}
    assert [m.kind for m in icsr.rewordings] == ["scope"]  # the status change is flagged
    assert len(_chain_of(series, figs[3].id).points) == 1


def test_one_speakers_small_number_under_another_status_is_another_figure(sf: MakeFigure) -> None:
    figs = [
        sf(16, status="killed", source="the NDB", published="2016-01-21", origin="CH"),
        sf(16, status="present", source="NDB", published="2016-03-01", origin="CH"),
        sf(900, status="present", source="Cazeneuve", published="2014-08-13"),
        sf(900, status="returned", source="Bernard Cazeneuve", published="2014-08-14"),
    ]
    pts = to_points(figs)
    sizes = {c.origin.id: len(c.points) for c in chains(pts)}
    assert sizes[figs[0].id] == 1 and sizes[figs[1].id] == 1  # 16 dead, 16 dual nationals
    assert sizes[figs[2].id] == 2  # the minister's 900, read once as returned


def test_a_round_number_is_not_read_as_a_distinctive_one_rounded_when_another_gives_it(
    sf: MakeFigure,
) -> None:
    who = "the Obama administration's top counterterrorism official"  # a name the data does not know
    figs = [
        sf(20370, status="joined", source="ICSR", published="2015-01-26", origin=None),
        sf(20000, status="joined", source="the NCTC", published="2015-02-11", origin=None),
        sf(20000, qualifier="approx", status="joined", source=who, published="2015-02-12", origin=None),
    ]
    series = reconcile(figs)
    assert _chain_of(series, figs[0].id).echoes == []  # "some 20,000" is not ICSR's 20,370


def test_a_known_entity_makes_the_origin_before_a_name_the_data_does_not_know(sf: MakeFigure) -> None:
    figs = [
        sf(
            550,
            status="joined",
            source="les dernières estimations",
            document="a",
            published="2014-11-07",
            origin="DE",
        ),
        sf(
            550,
            qualifier="at_least",
            status="joined",
            source="Thomas de Maizière",
            document="b",
            published="2014-11-07",
            origin="DE",
        ),
    ]
    (chain,) = [c for s in reconcile(figs) for c in s.chains]
    assert chain.origin.id == figs[1].id and [p.id for p in chain.echoes] == [figs[0].id]
