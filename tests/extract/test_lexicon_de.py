"""German vocabulary as data: the lexicon loads and compiles, and its words read German news."""

from __future__ import annotations

import pytest

from tally.extract.groups import finder
from tally.extract.lexicon import LANGS, load
from tally.extract.places import gazetteer


def test_every_language_loads_and_german_is_one_of_them() -> None:
    assert "de" in LANGS
    for lang in LANGS:
        assert load(lang).lang == lang


def _statuses(text: str) -> list[str]:
    lex = load("de")
    return [
        s for s in lex.status_order if any(p.search(text.lower()) for p in lex.status_patterns.get(s, []))
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("mehr als 1.150 Personen sind ausgereist", "joined"),
        ("die in Richtung Syrien gereist sind", "joined"),
        ("rund 350 sind inzwischen zurückgekehrt", "returned"),
        ("darunter 80 Rückkehrer", "returned"),
        ("etwa 270 sollen getötet worden sein", "killed"),
        ("weitere 50 sind ums Leben gekommen", "killed"),
        ("30 Frauen sitzen in Haft", "detained"),
        ("noch 60 Kinder leben in Lagern", "detained"),
        ("gegen 120 wurde Anklage erhoben, 40 sind angeklagt", "convicted"),
        ("15 wurden verurteilt", "convicted"),
        ("in 200 Ermittlungsverfahren", "convicted"),
        ("die Zahl der Gefährder liegt bei 500", "monitored"),
    ],
)
def test_status_patterns_read_german(text: str, status: str) -> None:
    assert status in _statuses(text)


def test_judicial_words_rank_before_custody() -> None:
    order = load("de").status_order
    assert order.index("convicted") < order.index("detained")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("seit 2012 insgesamt", "cumulative"),
        ("bislang", "cumulative"),
        ("derzeit", "current"),
        ("noch", "current"),
    ],
)
def test_time_markers(text: str, kind: str) -> None:
    lex = load("de")
    patterns = lex.cumulative if kind == "cumulative" else lex.current
    assert any(p.search(text) for p in patterns)


def test_period_is_read_from_seit() -> None:
    lex = load("de")
    assert any(p.search("seit 2012 sind 1.150 ausgereist") for p in lex.period)


@pytest.mark.parametrize("text", ["laut Verfassungsschutz", "nach Angaben des BKA"])
def test_attribution_prepositions(text: str) -> None:
    assert load("de").according.search(text)


def test_zufolge_follows_its_source() -> None:
    lex = load("de")
    assert "zufolge" in lex.according_after
    assert not lex.according.search("dem Innenministerium zufolge")


def test_reporting_verbs() -> None:
    verbs = load("de").report_verbs
    assert {"sagte", "teilte", "mitgeteilt", "erklärte"} <= verbs


def test_people_nouns_have_roles_and_populations() -> None:
    lex = load("de")
    assert lex.role_of["dschihadisten"] == "militants"
    assert lex.role_of["rückkehrerinnen"] == "militants"
    assert lex.role_of["kinder"] == "family"
    assert lex.population["frauen"] == "women"
    assert lex.population["minderjährige"] == "minors"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Deutsche", "DE"),
        ("deutsche Staatsangehörige", "DE"),
        ("Österreicher", "AT"),
        ("Österreicherinnen", "AT"),
        ("Schweizer Nationalität", "CH"),
        ("Tschetschenen", "RU"),
        ("Franzosen", "FR"),
        ("Syriens", "SY"),
        ("Niedersachsen", "DE"),
        ("Bosnien und Herzegowina", "BA"),
        ("Kosovo", "XK"),
    ],
)
def test_countries_and_demonyms(text: str, code: str) -> None:
    found = gazetteer("de").find(text)
    assert found and found[0].code == code, found


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Kämpfer der Terrormiliz Islamischer Staat", "ISIS"),
        ("IS-Anhängerinnen", "ISIS"),
        ("Daesch-Kämpfer", "ISIS"),
        ("Mitglieder von al-Qaida", "AQ"),
        ("die Miliz Hajat Tahrir al-Scham", "HTS"),
        ("wegen Mitgliedschaft in einer terroristischen Vereinigung", "jihadist"),
        ("Ist das so?", None),
    ],
)
def test_groups(text: str, group: str | None) -> None:
    assert finder("de").label(text) == group
