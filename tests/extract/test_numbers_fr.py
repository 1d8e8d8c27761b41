"""The number normaliser in French: separators, words, approximate nouns, hedges, ranges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tally.extract.numbers import find, parse


def q(expr: str) -> tuple:
    r = parse(expr, "fr")
    assert r is not None, expr
    return (r.value, r.low, r.high, r.qualifier, r.kind)


def spans(text: str) -> list[str]:
    return [m.text for m in find(text, "fr")]


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("1 490", 1490),
        ("1.490", 1490),  # a dot before three digits groups thousands in French
        ("27\u00a0000", 27000),
        ("27\u202f000", 27000),
        ("2,5 millions", 2_500_000),
        ("6.700,54", 6700.54),
        ("4,8", 4.8),
        ("trois cents", 300),
        ("neuf cent trente", 930),
        ("mille deux cents", 1200),
        ("trente-sept", 37),
        ("Quinze", 15),
        ("Dix", 10),
        ("quatre-vingt-dix-sept", 97),
        ("vingt-et-un", 21),
        ("un billion", 10**12),  # a French billion is a million millions
        ("un million et demi", 1_500_000),
        ("une douzaine", 12),
        ("une demi-douzaine", 6),
        ("un", 1),
    ],
)
def test_exact_values(expr: str, value: float) -> None:
    assert q(expr) == (value, None, None, "exact", "count")


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("une centaine", 100),
        ("une vingtaine", 20),
        ("une cinquantaine", 50),
        ("une quarantaine", 40),
        ("une dizaine", 10),
        ("une quinzaine", 15),
        ("un millier", 1000),
        ("une dizaine de milliers", 10000),
    ],
)
def test_approximate_nouns_keep_their_value(expr: str, value: float) -> None:
    assert q(expr) == (value, None, None, "approx", "count")


@pytest.mark.parametrize(
    ("expr", "qualifier", "value"),
    [
        ("environ 1 700", "approx", 1700),
        ("quelque 300", "approx", 300),
        ("quelques 300", "approx", 300),
        ("près de 500", "nearly", 500),
        ("près d’un millier", "nearly", 1000),
        ("au moins 323", "at_least", 323),
        ("pas moins de 30", "at_least", 30),
        ("plus de 2 000", "more_than", 2000),
        ("un peu plus d’une centaine", "more_than", 100),
        ("un peu plus d'une centaine", "more_than", 100),
        ("jusqu’à 700", "at_most", 700),
        ("jusqu'à 700", "at_most", 700),
        ("moins de 60", "less_than", 60),
        ("Moins d’un millier", "less_than", 1000),
        ("500 ou plus", "at_least", 500),
    ],
)
def test_hedges(expr: str, qualifier: str, value: float) -> None:
    assert q(expr) == (value, None, None, qualifier, "count")


@pytest.mark.parametrize(
    ("expr", "low"),
    [
        ("des dizaines", 20),
        ("des centaines", 200),
        ("des milliers", 2000),
        ("plusieurs dizaines", 30),
        ("plusieurs centaines", 300),
        ("des dizaines de milliers", 20000),
        ("des centaines, voire des milliers", 200),
    ],
)
def test_vague_amounts(expr: str, low: float) -> None:
    assert q(expr) == (None, low, None, "vague", "count")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("entre 250 et 300", (None, 250, 300, "range", "count")),
        ("de 30 à 40", (None, 30, 40, "range", "count")),
        ("Entre 40 et 50%", (None, 40, 50, "range", "percent")),
        ("90%", (90, None, None, "exact", "percent")),
        ("90 %", (90, None, None, "exact", "percent")),
        ("90\u00a0%", (90, None, None, "exact", "percent")),
        ("quelque 90%", (90, None, None, "approx", "percent")),
        ("vingt pour cent", (20, None, None, "exact", "percent")),
        ("la moitié", (50, None, None, "exact", "fraction")),
        ("plus de la moitié", (50, None, None, "more_than", "fraction")),
        ("un tiers", (33.3, None, None, "exact", "fraction")),
        ("les deux tiers", (66.7, None, None, "exact", "fraction")),
    ],
)
def test_ranges_percents_fractions(expr: str, expected: tuple) -> None:
    assert q(expr) == expected


def test_un_and_une_are_numbers_only_as_pronouns() -> None:
    assert spans("un homme et une femme") == []
    assert spans("149 sont candidats et une est en route") == ["149", "une"]
    assert spans("au moins un enfant") == ["au moins un"]


def test_find_in_a_french_sentence() -> None:
    text = (
        "On compte un peu plus d’une centaine de mineurs belges, une quarantaine d’épouses et 1 490 hommes."
    )
    assert spans(text) == ["un peu plus d’une centaine", "une quarantaine", "1 490"]


def test_an_approximate_noun_needs_un_or_une() -> None:
    assert spans("placés en quarantaine, la trentaine passée") == []


def test_currency_words_stay_in_the_span_but_not_in_the_core() -> None:
    text = "2,5 millions d’euros"
    (m,) = find(text, "fr")
    assert m.text == text
    assert text[m.core_start : m.core_end] == "2,5 millions"


def test_ordinals_are_not_reported() -> None:
    assert spans("la vingt-deuxième fois, le 2e jour, le XXIe siècle, le 1er mai") == []


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from([" ", "\u00a0", "\u202f", "."]),
)
def test_french_grouped_digits_parse_back(n: int, sep: str) -> None:
    assert parse(f"{n:,}".replace(",", sep), "fr").value == n  # type: ignore[union-attr]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_french_decimal_comma(whole: int, cents: int) -> None:
    text = f"{whole:,}".replace(",", "\u202f") + f",{cents:02d}"
    assert parse(text, "fr").value == pytest.approx(whole + cents / 100)  # type: ignore[union-attr]
