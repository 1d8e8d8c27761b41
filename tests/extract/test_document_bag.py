"""Whom a whole article speaks of, read by the role decision: a repatriation story names
its women and children again and again, while its headline counts "citizens"."""

from __future__ import annotations

from tally.extract import decide
from tally.extract.features import Candidate, document_bag
from tally.extract.lexicon import load
from tally.model import Figure

STORY = (
    "Eighty citizens brought home from Syria. The group of women and children landed on "
    "Tuesday. The children, most under five, were taken to hospital. Their mothers face "
    "questioning; the women had lived in a camp for three years, and two camps still hold "
    "more children."
)

FIG = Figure(
    doc="d", quote="Eighty citizens brought home.", span="Eighty", value=80, low=None, high=None,
    qualifier=None, kind="count", role="militants", counted="citizens", origin=None,
    status="returned", group=None, place=None, period=None, source=None, scope=None,
    start=0, end=6,
)  # fmt: skip


def test_the_groups_a_story_keeps_naming_are_what_it_is_about():
    assert document_bag(STORY, load("en")) == {"doc:en:pop=minors": 1.0, "doc:en:pop=women": 1.0}


def test_a_word_named_once_or_twice_is_no_topic():
    assert document_bag("Two men and one woman came back from the camps.", load("en")) == {}


def test_each_language_has_its_own_keys():
    bag = document_bag("Des enfants, des enfants et encore des enfants.", load("fr"))
    assert bag == {"doc:fr:pop=minors": 1.0}


def test_only_the_role_decision_reads_them():
    feats = {"doc:en:pop=minors": 1.0, "lang=en": 1.0}
    assert "doc:en:pop=minors" in decide.select("role", feats)
    for task in ("figure", "status", "scope", "population"):
        assert "doc:en:pop=minors" not in decide.select(task, feats)
    cand = Candidate(FIG, None, feats, 0, 0, None, False)
    assert "doc:en:pop=minors" not in decide.origin_features(cand)
