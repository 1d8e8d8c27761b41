"""Wholes and parts, source entities and echoes across languages, on sentences written
for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tally.reconcile import reconcile, resolve
from tally.reconcile.entities import same_entity
from tally.reconcile.estimate import RULE_WHOLE
from tally.store.records import StoredFigure

MakeFigure = Callable[..., StoredFigure]
BREAKDOWN = "Of the 1,490 who joined, 500 died and 130 remain detained, including 68 men."


def test_a_breakdown_sits_under_its_whole_and_a_fate_keeps_its_own_breakdown(sf: MakeFigure) -> None:
    d = dict(document="d1", quote=BREAKDOWN)
    figs = [
        sf(1490, status="joined", span="1,490", **d),
        sf(500, status="killed", part_of="1,490", **d),
        sf(130, status="detained", scope="current", part_of="1,490", **d),
        sf(68, status="detained", scope="current", population="men", part_of="1,490", **d),
    ]
    by_label = {s.key.label(): s for s in reconcile(figs)}
    joined = by_label["FR · joined · militants · cumulative"]
    under = joined.parts_under(joined.chains[0].origin)
    assert [(p.value, depth) for p, _whole, depth in under] == [(500, 1), (130, 1), (68, 2)]
    detained = by_label["FR · detained · militants · current"]
    assert [p.value for p in detained.parts[detained.chains[0].origin.id]] == [68]
    assert "FR · detained · militants · current · men" in by_label


def test_a_part_never_beats_its_whole_and_the_rule_says_so(sf: MakeFigure) -> None:
    d = dict(document="d1", quote="323 have returned: 255 adults and 68 minors.")
    (series,) = reconcile([sf(323, span="323", **d), sf(255, part_of="323", **d)])
    (best,) = series.estimates
    assert best.chain.origin.value == 323 and best.rule == RULE_WHOLE


def test_parts_adding_up_to_more_than_their_whole_are_flagged(sf: MakeFigure) -> None:
    d = dict(document="d1", quote="100 returned, including 70 men and 60 women.")
    figs = [
        sf(100, span="100", **d),
        sf(70, population="men", part_of="100", **d),
        sf(60, population="women", part_of="100", **d),
    ]
    whole = next(s for s in reconcile(figs) if s.key.population == "all")
    assert [o.total for o in whole.overcounts] == [130]


def test_overlapping_parts_are_not_added_up(sf: MakeFigure) -> None:
    d = dict(document="d1", quote="100 returned, including 70 adults and 60 men.")
    figs = [
        sf(100, span="100", **d),
        sf(70, population="adults", part_of="100", **d),
        sf(60, population="men", part_of="100", **d),
    ]
    whole = next(s for s in reconcile(figs) if s.key.population == "all")
    assert whole.overcounts == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the Soufan Group", "le cabinet Soufan", True),
        ("the Soufan Group", "The Soufan Center", False),
        ("Mr. Rasmussen", "the U.S. intelligence community", True),
        ("la DGSI", "le ministère de l'Intérieur", True),
        ("a New York-based security consultancy", "the Soufan Group", False),
        ("Sicherheitskreise", "Sicherheitskreise", False),
        ("AP", "Associated Press", False),
        ("Smith", "Professor Smith", True),
    ],
)
def test_sources_resolve_to_entities(a: str, b: str, same: bool) -> None:
    assert same_entity(resolve(a), resolve(b)) is same


def test_un_is_the_un_only_in_capitals() -> None:
    assert resolve("the UN").id == "un"
    assert resolve("un rapport").kind == "generic"


def test_one_report_told_in_three_languages_with_each_mutation(sf: MakeFigure) -> None:
    report = sf(
        None,
        low=27000,
        high=31000,
        qualifier="range",
        span="between 27,000 and 31,000",
        source="the Soufan Group",
        status="joined",
        published="2015-12-07",
        origin=None,
    )
    told = [
        sf(
            27000,
            qualifier="at_least",
            span="at least 27,000",
            source="le cabinet Soufan",
            status="joined",
            published="2015-12-08",
            origin=None,
            lang="fr",
        ),
        sf(
            27000,
            qualifier="exact",
            span="27.000",
            source="die Soufan-Gruppe",
            status="present",
            published="2015-12-09",
            origin=None,
            lang="de",
        ),
        sf(
            None,
            low=27000,
            high=31000,
            qualifier="range",
            span="27,000 to 31,000",
            source="a New York-based security consultancy",
            status="joined",
            published="2015-12-10",
            origin=None,
        ),
    ]
    (series,) = reconcile([*reversed(told), report])
    (chain,) = series.chains
    assert chain.origin.source == "the Soufan Group"  # the report, not its first echo
    kinds = {(m.point.span, m.kind) for m in chain.mutations}
    assert ("at least 27,000", "range_as_bound") in kinds and ("27.000", "range_as_bound") in kinds
    assert [m.point.span for m in chain.rewordings] == ["27.000"]  # joined told as present


def test_independent_statements_sharing_a_number_stay_apart(sf: MakeFigure) -> None:
    (series,) = reconcile(
        [
            sf(5000, source="Europol", published="2016-01-01"),
            sf(5000, source="the Soufan Group", published="2016-02-01"),
            sf(5000, source="Europol", published="2021-02-01"),  # the same entity years later
        ]
    )
    assert len(series.chains) == 3


def test_a_subgroup_and_the_fates_are_not_added_up(sf: MakeFigure) -> None:
    d = dict(document="d1", quote="Of 1,654 who left, 1,060 joined Daesh; 745 died and 270 returned.")
    figs = [
        sf(1654, status="joined", span="1,654", **d),
        sf(1060, status="joined", part_of="1,654", **d),
        sf(745, status="killed", part_of="1,654", **d),
        sf(270, status="returned", part_of="1,654", **d),
    ]
    joined = next(s for s in reconcile(figs) if s.key.status == "joined")
    assert joined.overcounts == []
