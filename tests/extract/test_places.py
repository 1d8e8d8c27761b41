"""Places are found by looking up the words of the text: the same leftmost-longest,
whole-word, case-sensitive matches one large regular expression gave, at a fraction of
its cost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tally.extract.places import gazetteer

SHARED_DOCS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "docs"


def _spans(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    return [(p.text, p.code, p.kind) for p in gazetteer(lang).find(text)]


def test_the_longest_name_starting_at_a_word_wins() -> None:
    assert _spans("Saudi Arabian and Saudi recruits") == [
        ("Saudi Arabian", "SA", "demonym"),
        ("Saudi", "SA", "demonym"),
    ]


def test_a_name_inside_a_longer_word_or_a_hyphenated_one_is_no_place() -> None:
    assert _spans("Frenchmen and anti-French groups") == [("Frenchmen", "FR", "demonym")]
    assert _spans("Frenchified Saudiland") == []
    assert _spans("French-speaking recruits") == [("French", "FR", "demonym")]


def test_names_are_case_sensitive_but_headlines_in_capitals_count() -> None:
    assert _spans("tell us about it") == []
    assert _spans("BELGIAN JIHADISTS RETURN") == [("BELGIAN", "BE", "demonym")]


@pytest.mark.parametrize(
    ("lang", "text", "code"),
    [
        ("en", "fighters from Bosnia", "BA"),
        ("en", "women from Macedonia", "MK"),
        ("en", "recruits from Ivory Coast", "CI"),
        ("fr", "des combattants de Bosnie", "BA"),
        ("fr", "des femmes de Macédoine", "MK"),
    ],
)
def test_the_short_names_papers_use_for_a_country_are_found(lang: str, text: str, code: str) -> None:
    assert [c for _, c, _ in _spans(text, lang)] == [code]


@pytest.mark.skipif(not SHARED_DOCS.is_dir(), reason="../shared/eval/docs not present")
@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_same_matches_as_one_alternation_of_every_form_on_real_articles(lang: str) -> None:
    gaz = gazetteer(lang)
    forms = sorted(set(gaz.kind) | set(gaz.by_upper), key=len, reverse=True)
    body = "|".join(re.escape(f) for f in forms)
    slow = re.compile(rf"(?<![\w-])(?:{body})(?![\w])")
    for path in sorted(SHARED_DOCS.rglob(f"{lang}*.txt"))[:40]:
        text = path.read_text(encoding="utf-8")
        assert [(m.start, m.end) for m in gaz.find(text)] == [
            (m.start(), m.end()) for m in slow.finditer(text)
        ], path.name


def test_a_given_name_that_pycountry_also_gives_a_country_is_no_place() -> None:
    """French writes Dominica "la Dominique": in the news it is nearly always a first name."""
    assert _spans("Selon Dominique Martin, 40 combattants sont rentrés.", "fr") == []
