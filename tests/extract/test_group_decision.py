"""The learned group decision: the organisation the rules name, unnamed jihadist groups,
or none (SCHEMA.md: "terrorism charges", "armed groups" are `jihadist`; words about the
people themselves set no group).

The rules name organisations; a model says which of the three the counted people are
tied to. Its outcomes are pinned with a small hand-made model, so that what each class
means does not depend on the weights `make train` happens to write."""

from __future__ import annotations

import pytest

from tally.extract import groups
from tally.extract.decide import NONE, _group, group_class, group_features
from tally.extract.features import Candidate
from tally.extract.linear import LinearModel
from tally.model import Figure


def _cand(group: str | None, *words: str) -> Candidate:
    fig = Figure(
        doc="d", quote="About 40 were charged.", span="About 40", value=40, low=None, high=None,
        qualifier="approx", kind="count", role="militants", counted=None, origin=None,
        status="convicted", group=group, place=None, period=None, source=None, scope=None,
        start=0, end=8,
    )  # fmt: skip
    return Candidate(fig, None, {f"lin={w}": 1.0 for w in words}, 0, 0, None, False)


# Classes in the order scikit-learn writes them: sorted.
MODEL = LinearModel(
    "group",
    ["jihadist", "none", "rule"],
    [0.0, 0.0, 0.0],
    {"lin=terrorism": [4.0, 0.0, 0.0], "lin=fled": [0.0, 4.0, 0.0], "rule:groupkind=named": [0.0, 0.0, 4.0]},
    {},
)


@pytest.mark.parametrize(
    ("gold", "rule", "label"),
    [
        (None, "ISIS", NONE),
        ("jihadist", None, "jihadist"),
        ("jihadist", "jihadist", "jihadist"),
        ("ISIS", "ISIS", "rule"),
        ("AQ", "ISIS", None),  # another organisation than the rules read: no class gives it
    ],
)
def test_the_class_of_a_group(gold: str | None, rule: str | None, label: str | None) -> None:
    assert group_class(gold, rule) == label


def test_a_named_organisation_is_kept_when_the_model_says_so() -> None:
    c = _cand("ISIS")
    assert _group(c, MODEL) == "ISIS"


def test_charges_of_terrorism_tie_the_people_to_unnamed_jihadist_groups() -> None:
    c = _cand(None, "terrorism")
    assert _group(c, MODEL) == "jihadist"


def test_a_group_the_model_reads_as_none_is_dropped() -> None:
    c = _cand("jihadist", "fled", "fled")
    assert _group(c, MODEL) is None


def test_the_decision_reads_words_of_the_clause_and_sentence_not_fates() -> None:
    c = _cand(None, "armed")
    c.features.update({"c:sent:st:killed": 1.0, "rule:status=killed": 1.0})
    got = set(group_features(c))
    assert got == {"lin=armed", "rule:groupkind=none", "gs=about", "gs=40", "gs=were", "gs=charged"}


@pytest.mark.parametrize(
    ("lang", "text", "group"),
    [
        ("en", "some 70 men who fought for the Islamic State and al-Qaeda", "jihadist"),
        ("fr", "des combattants partis rejoindre l'État islamique ou Al-Qaïda", "jihadist"),
        ("en", "some 70 men who fought for the Islamic State (ISIS)", "ISIS"),  # two names, one group
    ],
)
def test_people_split_over_two_named_organisations_are_counted_as_jihadist(
    lang: str, text: str, group: str
) -> None:
    """SCHEMA.md: people split over two or more named organisations are `jihadist`."""
    assert groups.finder(lang).label(text) == group


@pytest.mark.parametrize(
    ("lang", "text", "group"),
    [
        ("en", "about 300 men joined insurgent militias abroad", "jihadist"),
        ("en", "some 90 joined the ranks of the jihadists", "jihadist"),
        ("en", "a dozen were jailed for links to terrorism", "jihadist"),
        ("fr", "40 personnes poursuivies pour des faits liés au terrorisme", "jihadist"),
        ("fr", "une association de malfaiteurs à visée terroriste", "jihadist"),
        ("fr", "près de 600 personnes impliquées dans les filières syriennes", "jihadist"),
        ("de", "an der Seite radikal-islamischer Milizen", "jihadist"),
        ("en", "about 50 jihadists came back", None),  # a word about the people, not a group
        ("de", "rund 80 Kämpfer des Islamischen Staates", "ISIS"),
    ],
)
def test_groups_described_without_a_name_are_jihadist(lang: str, text: str, group: str | None) -> None:
    """SCHEMA.md: militias, networks and terrorism offences described but not named are
    `jihadist`; the lexicons (`generic_group` in grammar.json) say how each language
    describes them."""
    assert groups.finder(lang).label(text) == group
