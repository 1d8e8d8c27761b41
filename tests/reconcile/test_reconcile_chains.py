"""Echo chains, mutation flags, conflicts and best estimates over figure records."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tally.reconcile import as_of, reconcile, sources_match
from tally.reconcile.estimate import RULE_INCLUSIVE, RULE_LATEST, RULE_NARROWEST, RULE_SINGLE, RULE_SUPPORT
from tally.store.records import StoredFigure

MakeFigure = Callable[..., StoredFigure]


def _soufan_and_two_others(sf: MakeFigure) -> list:
    """Five outlets give one report (the origin, four echoes), two speak for themselves;
    the ministry's 'about 20,000' cannot be the Soufan Group's 'at least 27,000'."""
    return [
        sf(27000, qualifier="at_least", source="the Soufan Group", published="2015-12-07", outlet="NYT"),
        sf(27000, qualifier="at_least", source="a recent report by the Soufan Group", published="2015-12-08"),
        sf(27000, qualifier="at_least", source="Soufan Group", published="2015-12-09"),
        sf(27000, qualifier="more_than", source="the Soufan Group's report", published="2015-12-10"),
        sf(27000, qualifier="at_least", source="THE SOUFAN GROUP", published="2015-12-11"),
        sf(None, low=20000, high=31000, qualifier="range", source="the UN", published="2015-11-01"),
        sf(20000, qualifier="approx", source="the interior ministry", published="2015-10-01"),
    ]


def test_one_report_restated_by_five_outlets_is_one_origin_with_four_echoes(sf: MakeFigure) -> None:
    (series,) = reconcile(_soufan_and_two_others(sf))
    assert len(series.chains) == 3 and series.points == 7
    soufan = next(c for c in series.chains if c.origin.source == "the Soufan Group")
    assert soufan.origin.outlet == "NYT" and len(soufan.echoes) == 4
    assert [len(c.echoes) for c in series.chains if c is not soufan] == [0, 0]


def test_the_planted_conflict_is_the_only_one(sf: MakeFigure) -> None:
    (series,) = reconcile(_soufan_and_two_others(sf))
    (conflict,) = series.conflicts
    assert {conflict.a.origin.source, conflict.b.origin.source} == {
        "the Soufan Group",
        "the interior ministry",
    }
    assert conflict.year == 2015


def test_the_best_estimate_is_the_one_most_independent_sources_agree_with(sf: MakeFigure) -> None:
    (series,) = reconcile(_soufan_and_two_others(sf))
    (best,) = series.estimates
    assert best.chain.origin.source == "the UN" and best.rule == RULE_SUPPORT
    assert (best.support, best.chains) == (2, 3)


def test_echoes_do_not_vote(sf: MakeFigure) -> None:
    figs = [sf(100, source="Europol", published="2016-01-01")] + [
        sf(100, source="Europol", published=f"2016-02-0{i}") for i in range(1, 6)
    ]
    figs += [
        sf(300, source="Interpol", published="2016-01-02"),
        sf(300, source="UNHCR", published="2016-01-03"),
    ]
    (series,) = reconcile(figs)
    (best,) = series.estimates
    assert best.chain.origin.value == 300 and best.support == 1  # the two 300s agree; 100's echoes count 0


def test_a_range_retold_as_more_than_is_flagged(sf: MakeFigure) -> None:
    (series,) = reconcile(
        [
            sf(
                None,
                low=5000,
                high=6000,
                qualifier="range",
                span="between 5,000 and 6,000",
                source="Europol",
                published="2016-01-01",
            ),
            sf(5000, qualifier="more_than", span="more than 5,000", source="Europol", published="2016-02-01"),
        ]
    )
    (chain,) = series.chains
    (m,) = chain.mutations
    assert m.kind == "range_as_bound" and "'between 5,000 and 6,000' (range)" in m.detail
    assert series.conflicts == []


def test_a_dropped_up_to_is_flagged(sf: MakeFigure) -> None:
    (series,) = reconcile(
        [
            sf(200, qualifier="at_most", span="up to 200", source="police", published="2016-01-01"),
            sf(200, span="200", source="the police", published="2016-01-05"),
        ]
    )
    assert [m.kind for m in series.chains[0].mutations] == ["dropped_up_to"]


def test_a_changed_number_in_a_copy_of_the_story_is_flagged(sf: MakeFigure) -> None:
    quote = "Officials said {} fighters had returned to France since 2014."
    (series,) = reconcile(
        [
            sf(390, quote=quote.format(390), story="s1", source="Valls", published="2016-01-01"),
            sf(400, quote=quote.format(400), story="s1", published="2016-01-02"),
        ]
    )
    (chain,) = series.chains
    assert sorted(m.kind for m in chain.mutations) == ["source", "value"]
    assert any("became unattributed" in m.detail for m in chain.mutations)


def test_two_numbers_in_one_sentence_are_two_figures_not_an_echo(sf: MakeFigure) -> None:
    quote = "The authorities said 189 women and 309 children are held."
    (series,) = reconcile(
        [
            sf(189, quote=quote, document="d1", source="The authorities"),
            sf(309, quote=quote, document="d1", source="The authorities"),
        ]
    )
    assert [len(c.echoes) for c in series.chains] == [0, 0]


def test_copies_in_one_story_link_without_a_source_and_others_do_not(sf: MakeFigure) -> None:
    # 400 is a round number: unattributed, it links only within its story (copies).
    (series,) = reconcile(
        [
            sf(400, story="s1", published="2016-01-01"),
            sf(400, story="s1", published="2016-01-02"),
            sf(400, story="s2", published="2016-01-03"),
        ]
    )
    assert [len(c.echoes) for c in series.chains] == [1, 0]


def test_an_unattributed_specific_number_links_to_the_report_it_matches(sf: MakeFigure) -> None:
    (series,) = reconcile(
        [
            sf(390, source="the Interior Ministry", published="2016-01-01"),
            sf(390, story="s2", published="2016-01-03"),
        ]
    )
    assert [len(c.echoes) for c in series.chains] == [1]
    assert series.chains[0].origin.source == "the Interior Ministry"


def test_the_same_number_from_two_sources_is_two_confirmations(sf: MakeFigure) -> None:
    (series,) = reconcile([sf(390, source="Valls"), sf(390, source="the Soufan Group")])
    assert len(series.chains) == 2 and series.conflicts == []


def test_figures_of_unknown_date_or_of_one_document_do_not_conflict(sf: MakeFigure) -> None:
    (undated,) = reconcile(
        [sf(390, source="Valls", published=None), sf(100, source="Collomb", published=None)]
    )
    assert undated.conflicts == [] and [e.year for e in undated.estimates] == [None]
    (one_doc,) = reconcile([sf(390, document="d1"), sf(100, document="d1", quote="Another 100 came back.")])
    assert len(one_doc.chains) == 2 and one_doc.conflicts == []


def test_an_echo_published_later_stays_in_its_origins_period(sf: MakeFigure) -> None:
    (series,) = reconcile(
        [
            sf(390, source="Valls", published="2015-06-01"),
            sf(390, source="Valls", published="2017-06-01"),
            sf(500, source="Collomb", published="2017-06-02"),
        ]
    )
    assert [e.year for e in series.estimates] == [2015, 2017]
    assert series.conflicts == []


def test_series_are_keyed_by_origin_status_role_and_scope(sf: MakeFigure) -> None:
    out = reconcile(
        [
            sf(1, origin="FR"),
            sf(2, origin="BE"),
            sf(3, status="killed"),
            sf(4, role="family"),
            sf(5, scope="current"),
            sf(6, origin=None),
        ]
    )
    keys = [(s.key.origin, s.key.status, s.key.role, s.key.scope) for s in out]
    assert keys == [
        ("BE", "returned", "militants", "cumulative"),
        ("FR", "killed", "militants", "cumulative"),
        ("FR", "returned", "family", "cumulative"),
        ("FR", "returned", "militants", "cumulative"),
        ("FR", "returned", "militants", "current"),
        (None, "returned", "militants", "cumulative"),
    ]


def test_percentages_and_numberless_figures_make_no_points(sf: MakeFigure) -> None:
    assert reconcile([sf(30, kind="percent"), sf(None, qualifier="exact")]) == []


@pytest.mark.parametrize(
    ("period", "published", "expected"),
    [
        ("since 2012", "2016-03-01", ("2016-03-01", 2016)),
        ("in 2015", "2016-03-01", ("2015", 2015)),
        ("between 2012 and 2015", None, ("2015", 2015)),
        ("depuis 2014", "2018-01-01", ("2018-01-01", 2018)),
        (None, "2016-03-01", ("2016-03-01", 2016)),
        ("last year", None, (None, None)),
    ],
)
def test_as_of_is_the_stated_period_else_the_publication_date(
    period: str | None, published: str | None, expected: tuple[str | None, int | None]
) -> None:
    assert as_of(period, published) == expected


def test_best_estimate_tie_breaks_are_named(sf: MakeFigure) -> None:
    (single,) = reconcile([sf(10, source="Europol")])
    assert single.estimates[0].rule == RULE_SINGLE
    (latest,) = reconcile(
        [sf(10, source="Europol", published="2016-01-01"), sf(50, source="Interpol", published="2016-05-01")]
    )
    assert latest.estimates[0].rule == RULE_LATEST and latest.estimates[0].chain.origin.value == 50
    (narrow,) = reconcile(
        [
            sf(None, low=10, high=60, qualifier="range", source="Europol"),
            sf(None, low=20, high=30, qualifier="range", source="Interpol"),
        ]
    )
    assert narrow.estimates[0].rule == RULE_NARROWEST and narrow.estimates[0].chain.origin.low == 20
    (disagree,) = reconcile([sf(10, source="Europol"), sf(220, source="Interpol")])
    assert disagree.estimates[0].rule == RULE_INCLUSIVE and disagree.estimates[0].chain.origin.value == 220


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the Soufan Group", "a recent report by the Soufan Group", True),
        ("Soufan Group", "The Soufan Group consultancy", True),
        ("Russia's federal security service", "the Federal Security Service", True),
        ("Valls", "Collomb", False),
        ("the ministry", None, False),
        ("a report", "the report", False),
    ],
)
def test_sources_match_by_their_naming_words(a: str, b: str | None, same: bool) -> None:
    assert sources_match(a, b) is same
