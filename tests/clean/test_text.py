"""clean on plain text: page furniture and repeats go, the article stays, character for character."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tally.clean import clean
from tally.clean.text import clean_text
from tally.errors import InputError
from tally.model import RawDoc

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DOCS = SHARED / "eval" / "docs"

BODY = "Around 300 Swedes have joined the group in Syria and Iraq, according to the intelligence chief."
BODY2 = "Some 150 of them have since returned home, and about 40 are believed to have been killed there."


def _clean(text: str) -> str:
    return clean(RawDoc("d", "d.txt", text)).text


def _lines(text: str) -> list[str]:
    return _clean(text).split("\n")


# --- furniture -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "widget",
    [
        "SHARE",
        "COPY LINK",
        "Pin It",
        "Leave a Reply",
        "Listen Live",
        "Your email address will not be shared. Required fields are marked *",
        "* Copy This Password *",
        "Get short URL",
        'You may use these HTML tags: <a href="" title=""> <em> <b>',
        "You've reached your monthly free article limit.",
        "Subscribe today and back our reporting team to keep reading.",
        "You have 71.5% of this article left to read. The remainder is reserved for members.",
        "Log in to post a comment.",
        "ADVERTISEMENT",
        "Become a Subscriber to add a comment.",
        "Skip to main content",
        "* Type Or Paste Password Here *",
        "SHOW COMMENTS",
        "COMMENTS",
        "Member comments",
        "09:12 GMT17 March 2022",
        "Originally published on March 14, 2019 9:05 am",
        "Army trucks leave a base near the border with Iraq. Photo: AFP",
        "Hassan Omar, and two other defendants arrive at court on Nov 3, 2016. PHOTO: AFP",
        "(Photo: Rami Haddad/AFP)",
        "Il vous reste 58% de cet article à lire.",
        "Lire aussi : Les combattants belges de Raqqa",
    ],
)
def test_furniture_lines_are_dropped(widget: str) -> None:
    assert _lines(f"{BODY}\n\n{widget}\n\n{BODY2}") == [BODY, "", BODY2]


def test_lines_that_merely_mention_furniture_words_stay() -> None:
    text = (
        "Officials said they would share the list with the police.\n"
        "The photo showed at least 12 fighters at the border.\n"
        "Comments by the minister drew criticism from 30 lawmakers.\n"
        "By 2018, the ministry will hire 1,240 extra analysts to track funding.\n"
    )
    assert _clean(text) == text.rstrip("\n")


def test_related_links_and_the_titles_listed_under_them_go() -> None:
    text = (
        f"{BODY}\n\nRelated links:\n\nLeave a Reply\n\n"
        "Second shipment of fuel delivered from Basra to Mosul on Friday\n\n"
        "Militants detain Syrian army officer’s cousins, says council member\n"
    )
    assert _clean(text) == BODY


def test_related_headlines_after_the_article_go_on_a_page_with_furniture() -> None:
    text = (
        "Get short URL\n\n"
        f"{BODY}\n\n{BODY2}\n\n"
        "120 Files Hint at 'Hidden Deal' Between Oil Trader and Militants\n"
        "Italian PM Says Militants Hit Port Due to NATO's Focus on Libya\n"
        "Libya, Italy, Daesh, port\n"
    )
    assert _clean(text) == f"{BODY}\n\n{BODY2}"


def test_title_case_lines_and_short_sentences_between_furniture_go_after_the_article() -> None:
    text = (
        f"{BODY}\nPhoto courtesy Wikipedia\n"
        "Should the Navy Buy 12 More Aircraft Carriers?\n"
        "Happy Birthday Green Berets!\n"
        "Join us for members-only briefings.\n"
        "COMMENTS\n"
    )
    assert _clean(text) == BODY


def test_a_clean_article_keeps_its_closing_lists() -> None:
    text = f"Awards list\n\n{BODY}\n\nBest Actor - Jamie Foxx\n\nBest Actress - Hilary Swank\n"
    assert _clean(text) == text.strip()


def test_a_second_story_after_the_comments_stays() -> None:
    text = (
        f"{BODY}\n\nMember comments\n\nLog in here to leave a comment.\n\nISIS\n\n"
        "Former recruiter jailed in Denmark for aiding IS\n\n"
        "Three more Danish women and their young sons are still in camps in northern Syria.\n\n"
        "SHOW COMMENTS"
    )
    assert _lines(text) == [
        BODY,
        "",
        "Former recruiter jailed in Denmark for aiding IS",
        "",
        "Three more Danish women and their young sons are still in camps in northern Syria.",
    ]


def test_infographic_debris_goes_but_a_lone_number_between_sentences_stays() -> None:
    debris = "\n\n".join(["1", "BULGARIA", "CHINA", "2", "KM", "Indian Ocean", "U.S.", "Atlantic", "500"])
    text = f"{BODY}\n\n{debris}\n\n{BODY2}\n\n7\n\n{BODY}x"
    assert _lines(text) == [BODY, "", BODY2, "", "7", "", f"{BODY}x"]


def test_a_kicker_over_the_headline_goes() -> None:
    text = f"Terror fight\n\nMalaysia 'watching closely' as ISIS recruits return\n\n{BODY}"
    assert _lines(text)[0] == "Malaysia 'watching closely' as ISIS recruits return"


def test_a_short_headline_over_the_body_stays() -> None:
    assert _lines(f"Jobs boost\n\n{BODY}")[0] == "Jobs boost"


# --- repeats -------------------------------------------------------------------------------


def test_a_headline_printed_twice_is_kept_once() -> None:
    headline = "Who are the foreign fighters still holding out in the desert?"
    assert _lines(f"{headline}\n\n{headline}\n\n{BODY}") == [headline, "", BODY]


def test_headline_and_a_different_subtitle_both_stay() -> None:
    text = (
        "Belgian ministry confirms several recruits left the army to join ISIS\n\n\n\n"
        "Nearly 12 Belgian soldiers quit elite parachute unit to join Islamic State fighters\n\n"
        f"{BODY}"
    )
    assert len(_lines(text)) == 5


def test_paragraphs_repeated_around_a_paywall_notice_are_kept_once() -> None:
    paywall = "You've reached your monthly free article limit."
    text = f"{BODY}\n{BODY2}\n{paywall}\n{BODY}\n{BODY2}\nThe end came in 2019."
    assert _clean(text) == f"{BODY}\n{BODY2}\nThe end came in 2019."


def test_short_lines_repeated_far_apart_stay() -> None:
    row = "Winners meet in final match"
    text = "\n".join(["Mozambique v Zimbabwe", row, "Namibia v Botswana", "Angola v Zambia", row, BODY])
    assert _clean(text).count(row) == 2


# --- what stays, exactly --------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Omar knew he had been seen.",
        "Manila monitoring at least 80 nationals back from fighting with militant group: Police chief",
        "• Interior ministry says 450 people 'of interest' have gone to the war zone",
        "HOW MANY FORMER FIGHTERS ARE BACK? Jordan: 250 Morocco: 220 Saudi Arabia: 760",
        "One in ten foreign recruits",
        "Condamnations",
        "Que sait-on de la situation sanitaire dans le camp d'Al-Hol ?",
    ],
)
def test_short_real_lines_stay(line: str) -> None:
    assert line in _lines(f"{BODY}\n\n{line}\n\n{BODY2}")


def test_characters_inside_lines_are_untouched_and_whitespace_is_normalised_lightly() -> None:
    text = (
        "  Headline “quoted” — x\u00a0y  \r\n\r\n\r\n\r\n\tBody ‘one’ – 1\u202f490 people.   \r\nNext line.\r"
    )
    assert _clean(text) == "Headline “quoted” — x\u00a0y\n\nBody ‘one’ – 1\u202f490 people.\nNext line."


def test_a_leading_date_marker_becomes_the_publication_date() -> None:
    doc = clean(RawDoc("d", "d.txt", f" date 2017-10-24 {BODY}"))
    assert (doc.published, doc.text) == ("2017-10-24", BODY)
    assert clean(RawDoc("d", "d.txt", f" date 2017-05 {BODY}")).published == "2017-05"


def test_the_rawdoc_date_wins_over_the_marker() -> None:
    doc = clean(RawDoc("d", "d.txt", f" date 2017-10-24 {BODY}", published="2017-10-23"))
    assert (doc.published, doc.text) == ("2017-10-23", BODY)


def test_metadata_and_language_pass_through() -> None:
    raw = RawDoc("d", "d.txt", f"Headline\n\n{BODY}", url="u", outlet="o", lang="en", title="T")
    doc = clean(raw)
    assert (doc.doc_id, doc.source, doc.url, doc.outlet, doc.lang, doc.title) == (
        "d",
        "d.txt",
        "u",
        "o",
        "en",
        "T",
    )


def test_the_headline_is_the_title_when_none_is_given() -> None:
    assert clean(RawDoc("d", "d.txt", f"Headline here\n\n{BODY}")).title == "Headline here"
    assert clean(RawDoc("d", "d.txt", f"{BODY}\n\n{BODY2}")).title is None


def test_a_page_of_furniture_only_has_no_article() -> None:
    with pytest.raises(InputError, match="no article text found"):
        clean(RawDoc("d", "d.txt", "SHARE\nCOPY LINK\n\nLeave a Reply\n"))


# --- the real documents --------------------------------------------------------------------


def _eval_docs() -> list[Path]:
    if not DOCS.is_dir():
        pytest.skip("shared eval documents not present")
    return sorted(DOCS.glob("*/*.txt"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_core_gold_quote_survives_cleaning() -> None:
    """Cleaning drops photo captions (SCHEMA.md: a caption is never the first mention) and
    related-links lines; it never drops the body text that states a core figure."""
    from tally.clean.lexicon import load

    credit = load().credit
    docs = {p.stem: p for p in _eval_docs()}
    texts = {stem: p.read_text(encoding="utf-8") for stem, p in docs.items()}
    cleaned = {stem: _flat(_clean(text)) for stem, text in texts.items()}
    missing = []
    for gold in sorted((SHARED / "eval" / "gold").glob("*.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            fig = json.loads(line)
            quote = _flat(fig["quote"])
            captions = [ln for ln in texts[fig["doc"]].splitlines() if credit.search(ln[-90:])]
            if any(quote in _flat(c) for c in captions):
                continue
            if fig.get("core", True) and quote not in cleaned[fig["doc"]]:
                missing.append((fig["doc"], fig["quote"]))
    assert missing == []


def _real(name: str) -> str:
    path = DOCS / name
    if not path.is_file():
        pytest.skip("shared eval documents not present")
    return _clean(path.read_text(encoding="utf-8"))


def test_seed_003_keeps_its_first_paragraphs_once_and_drops_the_paywall_and_related_titles() -> None:
    text = _real("seeds/003_369c91b1ae523375.txt")
    assert text.count("Like rats fleeing a sinking ship") == 1
    assert text.count("The exodus of fighters") == 1
    for gone in ("free article limit", "Delta Force", "B-21", "SOFREP", "COMMENTS", "click here"):
        assert gone not in text
    assert text.endswith("who swore allegiance to ISIS")


def test_seed_001_keeps_the_norway_story_and_drops_widgets_and_captions() -> None:
    text = _real("seeds/001_ab9b834c8f727d6d.txt")
    headline, blank, body = text.split("\n")[:3]
    assert headline.startswith("France and Russia agree to share intel") and headline.endswith(" on Isis")
    assert blank == "" and body.startswith("Russia and France")
    assert text.count(headline) == 1
    assert "At least four other Norwegian women" in text
    for gone in ("SHARE", "COPY LINK", "Photo: AFP", "Log in", "Member comments", "\nISIS\n"):
        assert gone not in text


def test_seed_002_drops_the_header_and_the_related_headlines() -> None:
    text = _real("seeds/002_2c0ca6562c9274b0.txt")
    assert text.startswith("French special services have for months")
    assert text.endswith("against\u00a0civilians.")


def test_seed_004_keeps_one_headline_and_drops_the_paywall() -> None:
    text = _real("seeds/004_b46de369b17911d8.txt")
    assert text.count("Who are the hard-line French jihadists") == 1
    assert "82.99%" not in text and "Read the story also" not in text


def test_dev_en_012_drops_the_map_labels() -> None:
    text = _real("dev/en_012.txt")
    for gone in ("BULGARIA", "KM", "Atlantic", "MEXICO", "Skip to main content"):
        assert gone not in text
    assert "A Canadian was allegedly involved in" in text


def test_dev_en_010_keeps_one_copy_of_everything_and_no_caption() -> None:
    text = _real("dev/en_010.txt")
    assert "Photo:" not in text
    assert text.count("Hussein's made the remark") == 1


@pytest.mark.slow
def test_bbc_articles_lose_nothing() -> None:
    folder = SHARED / "corpora" / "bbc-fulltext"
    if not folder.is_dir():
        pytest.skip("shared corpora not present")
    lost = []
    for path in sorted(folder.glob("*/*.txt")):
        data = path.read_bytes()
        content = data.decode("utf-8", errors="replace")
        result = clean_text(content)
        lost += [(path.name, why, line) for why, line in result.dropped if line.strip(".") != ""]
    assert lost == []
