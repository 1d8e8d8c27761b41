"""The country a document is about, which its counts with no origin of their own take.

A country leads when it is named often enough and clearly more than any other; a document
that names one country at all, beside the war's own (Syria, Iraq), is about that one.
Every text here is written for the test."""

from __future__ import annotations

from tally.extract import document
from tally.model import Doc


def _country(text: str, lang: str) -> str | None:
    cands = document.candidates(Doc("d", "test", text, lang=lang))
    assert cands, "the text holds a candidate"
    return cands[0].default_origin


def test_the_one_country_a_document_names_is_its_country_even_named_once() -> None:
    text = (
        "Six femmes et seize enfants ont été rapatriés des camps du nord-est de la Syrie mardi. "
        "Ils sont arrivés en Belgique dans la nuit."
    )
    assert _country(text, "fr") == "BE"


def test_the_places_of_the_war_are_not_the_document_s_country() -> None:
    assert _country("About 300 fighters have travelled to Syria and Iraq since 2012.", "en") is None


def test_two_countries_named_alike_leave_none() -> None:
    text = "About 40 Belgians and 40 Dutch nationals are held in camps in Syria."
    assert _country(text, "en") is None


def test_the_war_s_adjectives_weigh_less_than_the_country_the_story_is_about() -> None:
    text = (
        "Rund 90 Islamisten aus Deutschland sitzen in syrischen Gefängnissen. "
        "Deutschland will sie nicht zurückholen."
    )
    assert _country(text, "de") == "DE"


def test_a_country_people_come_from_counts_as_a_nationality_not_as_a_place() -> None:
    text = "Rund 60 Kämpfer aus Österreich sind in Syrien. Ein Tschetschene wurde festgenommen."
    assert _country(text, "de") == "AT"
