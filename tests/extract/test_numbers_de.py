"""The number normaliser in German: separators, compound number words, hedges, ranges, vague
amounts, ordinals written with a dot, and the German suite written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tally.extract.numbers import find, parse

SUITE = Path(__file__).resolve().parents[1] / "data" / "numbers_de.jsonl"


def q(expr: str) -> tuple:
    r = parse(expr, "de")
    assert r is not None, expr
    return (r.value, r.low, r.high, r.qualifier, r.kind)


def spans(text: str) -> list[str]:
    return [m.text for m in find(text, "de")]


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("1.050", 1050),  # a dot before three digits groups thousands
        ("1 050", 1050),
        ("27\u202f000", 27000),
        ("73'500", 73500),  # Swiss outlets group with an apostrophe
        ("2,5 Millionen", 2_500_000),  # a comma is the decimal mark
        ("6.700,54", 6700.54),
        ("dreihundertzwanzig", 320),  # one word, valued by text2num
        ("Zweiundzwanzig", 22),
        ("einhundertfünfzig", 150),
        ("tausendzweihundert", 1200),
        ("zwölf", 12),
        ("eine Million", 1_000_000),
        ("eine halbe Million", 500_000),
        ("ein Dutzend", 12),
        ("zwei Dutzend", 24),
        ("2,5 Mio.", 2_500_000),
        ("Weitere 26", 26),
    ],
)
def test_exact_values(expr: str, value: float) -> None:
    assert q(expr) == (value, None, None, "exact", "count")


@pytest.mark.parametrize(
    ("expr", "qualifier", "value"),
    [
        ("rund 600", "approx", 600),
        ("etwa 30", "approx", 30),
        ("ca. 145", "approx", 145),
        ("circa 110", "approx", 110),
        ("um die 20", "approx", 20),
        ("der geschätzten 400", "approx", 400),
        ("gut 300", "more_than", 300),
        ("knapp 1.000", "nearly", 1000),
        ("fast 500", "nearly", 500),
        ("mindestens vier", "at_least", 4),
        ("mehr als einhundert", "more_than", 100),
        ("über 70", "more_than", 70),
        ("bis zu 6000", "at_most", 6000),
        ("weniger als zehn", "less_than", 10),
        ("500 oder mehr", "at_least", 500),
    ],
)
def test_hedges(expr: str, qualifier: str, value: float) -> None:
    assert q(expr) == (value, None, None, qualifier, "count")


@pytest.mark.parametrize(
    ("expr", "low"),
    [
        ("Dutzende", 24),
        ("Hunderte", 200),
        ("hunderten", 200),
        ("Tausende", 2000),
        ("Zehntausende", 20000),
        ("mehrere Dutzend", 36),
        ("einige Hundert", 200),
        ("mehrere hundert", 300),
        ("Hunderte, wenn nicht Tausende", 200),
    ],
)
def test_vague_amounts_have_a_low_bound_only(expr: str, low: float) -> None:
    assert q(expr) == (None, low, None, "vague", "count")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("zwischen 150 und 180", (None, 150, 180, "range", "count")),
        ("150 bis 180", (None, 150, 180, "range", "count")),
        ("150-180", (None, 150, 180, "range", "count")),
        ("von 30 bis 40", (None, 30, 40, "range", "count")),
        ("zwischen zwei und drei Millionen", (None, 2_000_000, 3_000_000, "range", "count")),
        ("65 Prozent", (65, None, None, "exact", "percent")),
        ("Circa fünf Prozent", (5, None, None, "approx", "percent")),
        ("die Hälfte", (50, None, None, "exact", "fraction")),
        ("Gut die Hälfte", (50, None, None, "more_than", "fraction")),
        ("Etwa ein Drittel", (33.3, None, None, "approx", "fraction")),
        ("drei Viertel", (75, None, None, "exact", "fraction")),
        ("Jeder zweite", (50, None, None, "exact", "fraction")),
    ],
)
def test_ranges_percents_fractions(expr: str, expected: tuple) -> None:
    assert q(expr) == expected


def test_find_in_a_german_sentence() -> None:
    text = "Von den rund 1.150 Ausgereisten sind etwa zweihundertfünfzig Frauen, Dutzende Kinder und 40 bis 50 Männer."
    assert spans(text) == ["rund 1.150", "etwa zweihundertfünfzig", "Dutzende", "40 bis 50"]


def test_ein_and_eine_are_numbers_only_as_pronouns() -> None:
    assert spans("Ein Mann und eine Frau wurden festgenommen") == []
    assert spans("Zwei sind in Haft, einer ist tot") == ["Zwei", "einer"]
    assert spans("mindestens eine Frau") == ["mindestens eine"]


def test_digits_and_a_dot_before_a_month_or_a_small_word_are_an_ordinal() -> None:
    assert spans("Am 3. Oktober begann der 2. große Prozess") == []
    assert spans("Es waren 300. Danach kamen 20 weitere.") == ["300", "20"]


def test_an_ordinal_is_not_a_count() -> None:
    assert spans("der zweite Prozess, die erste Hälfte") == []


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([".", " ", "\u00a0", "\u202f", "'"]))
def test_german_grouped_digits_parse_back(n: int, sep: str) -> None:
    assert parse(f"{n:,}".replace(",", sep), "de").value == n  # type: ignore[union-attr]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_german_decimal_comma(whole: int, cents: int) -> None:
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert parse(text, "de").value == pytest.approx(whole + cents / 100)  # type: ignore[union-attr]


# --- the German suite: sentences written for it, scored like the peers' suites ------------------

# Floors only move up (STYLE.md 12); the suite read 1.000 and 1.000 when these were set.
VALUE_FLOOR, QUALIFIER_FLOOR = 0.99, 0.99


def _agrees(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def test_german_suite_value_and_qualifier_accuracy() -> None:
    cases = [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines() if line.strip()]
    value_ok = qual_ok = 0
    for c in cases:
        r = parse(c["span"], "de")
        if r is None:
            continue
        if c["qualifier"] == "range":
            value_ok += _agrees(r.low, c["low"]) and _agrees(r.high, c["high"])
        else:
            value_ok += _agrees(r.value, c["value"])
        qual_ok += r.qualifier == c["qualifier"]
    value, qualifier = value_ok / len(cases), qual_ok / len(cases)
    print(f"numbers_de: {len(cases)} cases, value accuracy {value:.3f}, qualifier accuracy {qualifier:.3f}")
    assert value >= VALUE_FLOOR
    assert qualifier >= QUALIFIER_FLOOR


def test_german_suite_spans_are_found_in_their_sentences() -> None:
    for line in SUITE.read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        found = [m for m in find(c["input"], "de") if m.start <= c["start"] and c["end"] <= m.end]
        assert found, c["span"]
        assert found[0].text.startswith(c["span"]), (c["span"], found[0].text)
