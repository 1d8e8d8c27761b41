"""Figures read from French news: the same grammar as English, French vocabulary.

Every text here is written for the test; none is taken from a real article.
"""

from __future__ import annotations

from pathlib import Path

from tally.clean.language import detect
from tally.extract import figures
from tally.model import Doc


def read(text: str) -> dict[str, dict]:
    doc = Doc(doc_id="t", source="t", text=text, lang="fr")
    return {f.span: f.as_dict() for f in figures(doc, prefilter=False)}


def test_french_is_detected():
    assert (
        detect("Au moins 400 ressortissants belges ont rejoint les rangs de l'État islamique en Syrie.")
        == "fr"
    )
    assert (
        detect("At least 400 Belgian nationals have joined the ranks of the Islamic State in Syria.") == "en"
    )


def test_nationality_after_the_noun_and_a_perfect_tense():
    f = read(
        "Selon le ministère de l'Intérieur, environ 450 ressortissants belges ont rejoint la Syrie depuis 2012."
    )["environ 450"]
    assert (f["value"], f["qualifier"], f["origin"], f["status"], f["scope"]) == (
        450,
        "approx",
        "BE",
        "joined",
        "cumulative",
    )
    assert f["source"] == "le ministère de l'Intérieur" and f["period"] == "depuis 2012"


def test_parmi_opens_a_frame_whose_parts_take_its_people():
    got = read("Parmi ces 200 djihadistes marocains, 60 sont morts et 40 sont détenus en Syrie.")
    assert (got["60"]["status"], got["60"]["origin"]) == ("killed", "MA")
    assert (got["40"]["status"], got["40"]["scope"]) == ("detained", "current")


def test_approximate_nouns_and_family():
    got = read(
        "Il reste une trentaine d'enfants et une dizaine de mères françaises détenus dans le camp de Roj."
    )
    f = got["une trentaine"]
    assert (f["value"], f["qualifier"], f["role"], f["status"]) == (30, "approx", "family", "detained")


def test_dont_splits_a_total():
    got = read("Au moins 120 personnes sont rentrées de Syrie en France, dont 80 majeurs et 40 mineurs.")
    assert got["Au moins 120"]["status"] == "returned" and got["Au moins 120"]["qualifier"] == "at_least"
    assert (got["40"]["role"], got["40"]["status"]) == ("family", "returned")
    assert got["80"]["role"] == "militants"


def test_counts_outside_the_domain_are_not_figures():
    assert read("Le sondage a interrogé 1 200 personnes sur leurs vacances.") == {}


def test_a_fall_in_departures_is_a_change():
    f = read("Le nombre de départs de combattants vers la Syrie a baissé de 80% en deux ans.")["80%"]
    assert (f["kind"], f["scope"], f["status"]) == ("percent", "change", "joined")


def test_a_sibling_of_another_population_is_not_read_as_its_part():
    # The bundled French example (our digest of the DGSI's count): "300 ... tués",
    # then "Ce total se répartit entre 288 hommes et 12 femmes".
    text = (Path(__file__).resolve().parents[2] / "examples" / "08_france_fr.txt").read_text(encoding="utf-8")
    f = read(text)
    assert f["288"]["part_of"] == "300"
    assert f["12"]["part_of"] == "300"  # twelve women are no part of 288 men
