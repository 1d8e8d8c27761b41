"""The learned origin decision: whether a count has one country of origin at all.

The rules say which country; a model says whether there is one. Its three outcomes are
pinned here with a one-feature model, so that what each means does not depend on the
weights `make train` happens to write."""

from __future__ import annotations

import pytest

from tally.extract import document
from tally.extract.decide import _origin
from tally.extract.features import IN_COUNTED, NO_COUNTRY_COUNTED, Candidate
from tally.extract.linear import LinearModel
from tally.model import Doc, Figure


def _cand(origin: str | None, default: str | None, *cues: str) -> Candidate:
    fig = Figure(
        doc="d", quote="About 40 have returned.", span="About 40", value=40, low=None, high=None,
        qualifier="approx", kind="count", role="militants", counted=None, origin=origin,
        status="returned", group=None, place=None, period=None, source=None, scope=None,
        start=0, end=8,
    )  # fmt: skip
    return Candidate(fig, None, {c: 1.0 for c in cues}, 0, 0, None, False, default_origin=default)


# "global" pulls towards no origin, "national" towards one; nothing leaves a tie.
MODEL = LinearModel("origin", ["no", "yes"], [0.0], {"global": [-3.0], "national": [3.0]}, {})


def test_a_count_the_model_reads_as_worldwide_loses_the_rules_origin():
    assert _origin(_cand("FR", "FR", "global"), MODEL) is None


def test_a_count_with_no_origin_by_the_rules_takes_the_documents_country():
    assert _origin(_cand(None, "BE", "national"), MODEL) == "BE"


def test_without_a_document_country_there_is_none_to_give():
    assert _origin(_cand(None, None, "national"), MODEL) is None


def test_a_near_tie_leaves_the_rules_reading():
    assert _origin(_cand("NL", "FR"), MODEL) == "NL"
    assert _origin(_cand(None, "FR"), MODEL) is None


def test_a_nationality_in_the_counted_phrase_is_its_origin_whatever_the_model_says():
    cand = _cand("BE", "FR", "global")
    cand.origin_features[IN_COUNTED] = 1.0
    assert _origin(cand, MODEL) == "BE"


@pytest.mark.parametrize(
    ("lang", "text", "span", "origin"),
    [
        # "foreign fighters" are of many countries unless the phrase names one
        ("en", "Some 12 Danish foreign fighters have come home, officials said.", "Some 12", "DK"),
        # a French adjective after two coordinated nouns is both nouns'
        (
            "fr",
            "Le ministère compte 40 femmes et enfants belges retenus dans les camps djihadistes.",
            "40",
            "BE",
        ),
    ],
)
def test_the_nationality_of_the_counted_phrase_is_read_by_the_rules(lang, text, span, origin):
    cands = document.candidates(Doc("d", "test", text, lang=lang))
    assert {c.fig.span: c.fig.origin for c in cands}[span] == origin
    assert IN_COUNTED in next(c for c in cands if c.fig.span == span).origin_features


@pytest.mark.parametrize(
    ("text", "after"),
    [
        (
            "About 70 jihadist wives and children from Bosnia, Serbia and Montenegro wait in a camp.",
            "o:after=2",
        ),
        ("About 70 jihadist wives and children from Bosnia wait in a camp, officials said.", "o:after=1"),
        (
            "About 70 jihadist wives and children wait in a camp in the north-east of the war zone, "
            "officials in Bosnia said.",
            "o:after=0",
        ),
    ],
)
def test_the_origin_decision_reads_how_many_countries_follow_the_number(text, after):
    """Two or more countries named right after a count give it no one origin of its own."""
    cands = document.candidates(Doc("d", "test", text, lang="en"))
    assert after in next(c for c in cands if c.fig.span == "About 70").origin_features


def test_people_counted_as_of_no_one_country_have_no_origin_whatever_the_model_says():
    cand = _cand(None, "FR", "national")
    cand.origin_features[NO_COUNTRY_COUNTED] = 1.0
    assert _origin(cand, MODEL) is None


@pytest.mark.parametrize(
    ("lang", "text", "span", "of_no_country"),
    [
        (
            "fr",
            "En Syrie, les Kurdes détiennent quelque 900 femmes et enfants étrangers.",
            "quelque 900",
            True,
        ),
        ("en", "Syrian Kurds say they hold about 2,000 foreigners in their prisons.", "about 2,000", True),
        (
            "de",
            "Die Kurden halten nach eigenen Angaben rund 800 Ausländer fest, die für den IS kämpften.",
            "rund 800",
            True,
        ),
        # 'foreign fighters' in a story about one country are often that country's
        ("en", "About 120 foreign fighters have returned to Norway since 2012.", "About 120", False),
    ],
)
def test_foreigners_and_europeans_are_of_no_one_country(lang, text, span, of_no_country):
    """People counted as foreigners, Europeans or of many nationalities come from no one
    country (all 61 such gold figures have none); only 'foreign' itself, as in 'foreign
    fighters', leaves the document's country possible (people.json `multi_origin_weak`)."""
    cands = document.candidates(Doc("d", "test", text, lang=lang))
    cand = next(c for c in cands if c.fig.span == span)
    assert (NO_COUNTRY_COUNTED in cand.origin_features) == of_no_country
