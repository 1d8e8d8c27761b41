"""A cheap screen run before any parsing: is this number possibly a count of people?

It drops years, dates, times, money, ages, durations, distances and the like from the
words around the number, and tells which sentences could hold a figure at all (a
people word in or just before them). Both are regular expressions over raw text, so
the parser only sees sentences worth parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tally.extract.lexicon import Lexicon, load
from tally.extract.places import Gazetteer
from tally.model import NumberMention

_NEXT_WORD = re.compile(r"\s*([%$£€]|[^\W\d_][\w'’.-]*|-[\w-]+)", re.UNICODE)
_PREV_WORD = re.compile(r"([^\W\d_][\w'’.-]*|[$£€])\s*$", re.UNICODE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# "Jeffrey Royer, 41, fed ...": a number set between commas after a name is an age.
_AGE_APPOSITION = re.compile(r"[^\W\d_][\w'’-]+,\s*$")
# Oldest plausible age: a number between commas above it is no age.
MAX_AGE = 110


@dataclass(frozen=True)
class _Words:
    """The words of a language that tell an age or one person's relatives (grammar.json)."""

    age: re.Pattern[str]  # "aged 25": an age, not a count
    age_bound: re.Pattern[str]  # "more than half of them under 12": an age bound after its people
    one_person: frozenset[str]  # "her two children": one person's relatives, not a figure


@cache
def _words(lang: str) -> _Words:
    g = load(lang).grammar
    return _Words(
        re.compile(rf"\b(?:{'|'.join(g['age_before'])})\s*(?:just |only |seulement )?$", re.IGNORECASE),
        re.compile(rf"\b(?:{'|'.join(g['age_bound_words'])})\s*$", re.IGNORECASE),
        frozenset(g["one_person"]),
    )


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    word = m.group(1).lower().rstrip(".,;:") if m else ""
    return re.sub(r"^(?:d['’]|de\s)", "", word)  # "15 millions d'euros"


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text, max(0, start - 40), start)
    return m.group(1).lower() if m else ""


def plausible(text: str, m: NumberMention, lex: Lexicon) -> bool:
    """False when the words around a number show it measures something other than people."""
    q = m.quantity
    span = m.text
    core = text[m.core_start : m.core_end] if m.core_end > m.core_start else span
    nxt = _next_word(text, m.end)
    prev = _prev_word(text, m.start).rstrip(".")
    w = _words(lex.lang)
    if prev in w.one_person or w.age.search(text, max(0, m.start - 22), m.start):
        return False
    if (
        text[m.end : m.end + 1] == ","
        and q.qualifier == "exact"
        and (q.value or 0) <= MAX_AGE
        and _AGE_APPOSITION.search(text, max(0, m.start - 40), m.start)
    ):
        return False  # "The minister, 46, has made ..."
    if (
        q.qualifier in ("less_than", "more_than", "at_most")
        and (q.value or 99) <= 21
        and w.age_bound.search(text, max(0, m.start - 20), m.start)
    ):
        return False
    words = {w.strip(".,").lower() for w in re.split(r"[\s'’]+", span)}
    if (
        any(c in span for c in lex.currency if not c.isalpha())  # symbols; codes are words
        or words & (lex.unit_after | lex.currency)  # "15 millions d'euros", "600 million dollars"
        or prev in lex.currency
        or nxt in lex.currency
        or text[max(0, m.start - 1) : m.start] in lex.currency
    ):
        return False
    if q.kind == "count":
        if q.value is not None and (q.value < 1 or q.value != int(q.value)):
            return False
        if q.value == 1 and core.strip().lower() in lex.wordy_one:
            return False
        if core.lower() == "one" and nxt == "of":
            return False
        if _YEAR.fullmatch(core.strip()) and q.qualifier == "exact":
            return False
        if q.qualifier == "range" and _years(q.low, q.high):
            return False  # "between 2012 and 2016", "zwischen 2014 und 2019": a period
    # Times of day and scores: 18:41, 3-1.
    if text[m.end : m.end + 1] == ":" and text[m.end + 1 : m.end + 2].isdigit():
        return False
    if m.start > 0 and text[m.start - 1] == ":" and m.start > 1 and text[m.start - 2].isdigit():
        return False
    if nxt in lex.unit_after or nxt in lex.months or nxt.startswith("-year") or nxt.startswith("-"):
        return False
    if prev in lex.unit_before or prev in lex.months:
        return False
    return not (prev in ("the", "le", "la") and nxt in lex.months)


# The widest span of years read as a period rather than a count ("between 2000 and 2500
# fighters" is a count: its bounds are too far apart for the years of one story).
MAX_PERIOD_YEARS = 50


def _years(low: float | None, high: float | None) -> bool:
    """Whether a range's bounds are two years close enough to be a period of time."""
    if low is None or high is None or low != int(low) or high != int(high):
        return False
    bounds = (str(int(low)), str(int(high)))
    return all(_YEAR.fullmatch(b) for b in bounds) and 0 < high - low <= MAX_PERIOD_YEARS


@cache
def _people_words(lang: str) -> tuple[str, ...]:
    from tally.extract.places import gazetteer

    lex = load(lang)
    gaz = gazetteer(lang)
    words = set(lex.role_of) | {k for k, (_, kind) in gaz.kind.items() if kind == "demonym"}
    return tuple(sorted(words, key=len, reverse=True))


def people_cue(lex: Lexicon, gaz: Gazetteer) -> re.Pattern[str]:
    """Matches any word that counts people, or refers back to them."""
    return _people_cue(lex.lang)


@cache
def _people_cue(lang: str) -> re.Pattern[str]:
    words = _people_words(lang) + tuple(load(lang).grammar["people_references"])
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
