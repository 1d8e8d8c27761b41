"""Figures read from English news: what is counted, what happened, who, where from, who says.

Every text here is written for the test; none is taken from a real article.
"""

from __future__ import annotations

import pytest

from tally.extract import figures
from tally.model import Doc


def read(text: str, **meta: str) -> list[dict]:
    doc = Doc(doc_id="t", source="t", text=text, lang="en", **meta)
    return [f.as_dict() for f in figures(doc, prefilter=False)]


def one(text: str, span: str) -> dict:
    found = [f for f in read(text) if f["span"] == span]
    assert len(found) == 1, [f["span"] for f in read(text)]
    return found[0]


def test_a_demonym_noun_gives_origin_and_the_verb_gives_status():
    f = one(
        "Nearly 400 Belgians have travelled to Syria to join the Islamic State, officials said.", "Nearly 400"
    )
    assert (f["value"], f["qualifier"], f["origin"], f["status"], f["scope"]) == (
        400,
        "nearly",
        "BE",
        "joined",
        "cumulative",
    )
    assert (f["group"], f["source"], f["role"]) == ("ISIS", "officials", "militants")


def test_numbers_without_a_noun_count_the_people_of_the_leading_of_phrase():
    text = (
        "Of the 900 Danes who went to Syria since 2013, 120 are believed dead and 80 remain in Kurdish camps."
    )
    got = {f["span"]: f for f in read(text)}
    assert got["900"]["status"] == "joined" and got["900"]["period"] == "since 2013"
    assert (got["120"]["status"], got["120"]["origin"], got["120"]["counted"]) == ("killed", "DK", "Danes")
    assert (got["80"]["status"], got["80"]["scope"]) == ("detained", "current")


def test_of_them_refers_to_the_people_counted_before():
    text = (
        "At least 600 Kosovars joined jihadist groups in Syria. Some 70 of them were killed in the fighting."
    )
    f = one(text, "Some 70")
    assert (f["origin"], f["status"], f["qualifier"], f["group"]) == ("XK", "killed", "approx", "jihadist")


def test_vague_amounts_keep_their_lower_bound():
    f = one("Hundreds of foreign fighters are still living in the camps of north-east Syria.", "Hundreds")
    assert (f["value"], f["low"], f["qualifier"], f["origin"]) == (None, 200, "vague", None)


def test_women_and_children_are_family():
    f = one("Officials say 40 Dutch women and 90 children are held in camps in Syria.", "40")
    assert (f["role"], f["status"], f["origin"], f["scope"]) == ("family", "detained", "NL", "current")


def test_people_killed_in_an_attack_are_victims_with_no_origin():
    f = one("Gunmen linked to al-Qaeda stormed a hotel in the capital and killed 21 people.", "21")
    assert (f["role"], f["status"], f["origin"], f["group"]) == ("victims", "killed", None, None)


def test_people_counted_outside_the_domain_are_not_figures():
    text = "Floods in the north killed 40 people.\n\nA poll of 2,000 people found most liked the budget."
    assert read(text) == []


def test_counts_of_things_are_not_figures():
    assert read("The militants carried out 15 attacks and seized 40 vehicles in 2016.") == []


def test_according_to_names_the_source():
    f = one(
        "About 250 Austrians have left for the conflict zone, according to the interior ministry.",
        "About 250",
    )
    assert f["source"] == "the interior ministry"


def test_a_headline_tail_names_the_source():
    f = one("Police tracking 70 returnees from Syria: security chief", "70")
    assert (f["source"], f["status"]) == ("security chief", "returned")


def test_a_quotation_takes_the_speaker_named_after_it():
    text = "“We brought 45 children home from the camps last week. More will follow,” the minister told reporters."
    f = one(text, "45")
    assert (f["source"], f["status"], f["role"]) == ("the minister", "returned", "family")


def test_a_report_keeps_being_cited_in_later_paragraphs():
    text = (
        "A new study by the Egmont Institute says 500 Belgians joined the war in Syria.\n\n"
        "Around 130 Belgians have returned home."
    )
    assert one(text, "Around 130")["source"] == "A new study by the Egmont Institute"


def test_the_group_refers_back_to_the_last_named_group():
    text = "Daesh lost its last town in 2019. The group had recruited thousands of foreigners."
    assert one(text, "thousands")["group"] == "ISIS"


def test_a_factbox_list_gives_each_country_its_figure():
    text = "HOW MANY FIGHTERS HAVE COME HOME?\nTunisia: 800 Germany: 300 France: 271"
    got = {f["span"]: f for f in read(text)}
    assert {k: (v["origin"], v["status"]) for k, v in got.items()} == {
        "800": ("TN", "returned"),
        "300": ("DE", "returned"),
        "271": ("FR", "returned"),
    }


@pytest.mark.parametrize(
    ("text", "span", "status"),
    [
        ("Six British soldiers deserted to fight for the Islamic State.", "Six", "deserted"),
        ("Twelve men have been charged with terrorism offences.", "Twelve", "convicted"),
        ("Some 200 terror suspects are wanted by the police.", "Some 200", "targeted"),
        ("The agency monitors 3,000 people linked to extremist networks.", "3,000", "monitored"),
        ("About 60 jihadists remain missing.", "About 60", "missing"),
    ],
)
def test_status_words(text, span, status):
    assert one(text, span)["status"] == status


def test_provenance_points_into_the_text():
    text = "Intro line.\n\nAt least 1,250 Uzbek nationals have left for Syria since 2013."
    f = one(text, "At least 1,250")
    assert text[f["start"] : f["end"]] == "At least 1,250"
    assert text[f["quote_start"] : f["quote_end"]] == f["quote"]
    assert f["version"]


def test_the_prefilter_skips_documents_outside_the_domain():
    doc = Doc(doc_id="t", source="t", text="The club signed 3 players and sold 20,000 tickets.", lang="en")
    assert figures(doc) == []
