"""Load the extractor's vocabulary from data files, once per language.

The code holds grammar; every domain word (people nouns, statuses, reporting verbs,
time markers, units) lives in `data/<lang>/*.json` and `data/common/*`, so a new
language is new data plus, at most, a few dependency labels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LANGS = ("en", "fr", "de")


def _read_json(lang: str, name: str) -> dict[str, Any]:
    path = resources.files("tally.extract") / "data" / lang / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _read_tsv(name: str) -> list[list[str]]:
    path = resources.files("tally.extract") / "data" / "common" / name
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _alternation(words: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of `words` as whole words, longest first."""
    ordered = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    """Every word list the extractor needs for one language, compiled."""

    lang: str
    role_of: dict[str, str]
    generic: frozenset[str]
    containers: frozenset[str]
    collectives: frozenset[str]
    anaphors: frozenset[str]
    anaphoric_nouns: frozenset[str]
    plural_adjectives: frozenset[str]
    multi_origin: re.Pattern[str]
    multi_origin_weak: frozenset[str]
    camps: frozenset[str]
    status_order: tuple[str, ...]
    status_patterns: dict[str, list[re.Pattern[str]]]
    weak_patterns: dict[str, list[re.Pattern[str]]]
    status_nouns: dict[str, str]
    blockers: re.Pattern[str]
    # A departure stopped before it happened, where the language names it after the
    # departure ('an der Ausreise gehindert'): the attempt failed, the status is `other`.
    failed: re.Pattern[str] | None
    future: re.Pattern[str]
    current: list[re.Pattern[str]]
    still: list[re.Pattern[str]]
    cumulative: list[re.Pattern[str]]
    totals: list[re.Pattern[str]]
    change_words: frozenset[str]
    event: list[re.Pattern[str]]
    period: list[re.Pattern[str]]
    report_verbs: frozenset[str]
    according: re.Pattern[str]
    according_after: frozenset[str]  # cues that follow their source ("Dem Bericht zufolge")
    by_nouns: frozenset[str]
    documents: frozenset[str]
    numbers_of: re.Pattern[str]  # "les chiffres de X": group "speaker" is X
    honorific: re.Pattern[str]  # "Mr ", "M. ", "Frau " before a name
    own_reporting: re.Pattern[str]  # "nos informations": the outlet's own voice
    own_lead: re.Pattern[str]  # "selon nos informations" in a sentence: group "phrase"
    compound_source: re.Pattern[str] | None  # "nach ZDF-Informationen": group "speaker" is ZDF
    compound_speaker: re.Pattern[str] | None  # "ZDF-Informationen" as a source phrase
    pronouns: frozenset[str]
    titles: frozenset[str]
    unit_after: frozenset[str]
    unit_before: frozenset[str]
    currency: frozenset[str]
    months: frozenset[str]
    not_people: frozenset[str]
    population: dict[str, str]
    cues: dict[str, tuple[str, ...]]
    grammar: dict[str, Any]
    domain: re.Pattern[str]
    wordy_one: frozenset[str]  # "a", "une": an article, not a count


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _bounded(patterns: list[str]) -> re.Pattern[str]:
    """One regex for any of `patterns`, each starting and ending at a word boundary."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


def _numbers_of(spec: dict[str, list[str]]) -> re.Pattern[str]:
    nouns = "|".join(re.escape(n) for n in spec["nouns"])
    links = "|".join(spec["links"])
    return re.compile(
        rf"^(?:[\w'’-]+\s+){{0,3}}?(?:{nouns})(?:\s+[\w'’-]+){{0,2}}?\s+(?:{links})\s*(?P<speaker>[^\d\s].*)$",
        re.IGNORECASE,
    )


def _own_reporting(spec: dict[str, list[str]], according: tuple[str, ...] = ()) -> re.Pattern[str]:
    """The outlet's own voice, any case: a whole source phrase ("our information"), or
    with `according`, such a phrase introduced as a source ("selon nos informations",
    "nach unseren Informationen"), the phrase in group "phrase"."""
    owners = "|".join(re.escape(w) for w in sorted(spec["possessives"], key=len, reverse=True))
    nouns = "|".join(re.escape(w) for w in sorted(spec["nouns"], key=len, reverse=True))
    phrase = rf"(?P<phrase>(?:{owners})\s+(?:{nouns}))"
    if not according:
        return re.compile(phrase, re.IGNORECASE)
    leads = "|".join(re.escape(w) for w in sorted(according, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{leads})\s+{phrase}(?!\w)", re.IGNORECASE)


def _compound_source(spec: dict[str, Any] | None, lead: bool) -> re.Pattern[str] | None:
    """A source named as the first part of a compound ("BKA-Angaben"), group "speaker":
    after one of the leads in a sentence ("laut BKA-Angaben") with `lead`, else the whole
    of a source phrase."""
    if not spec:
        return None
    nouns = "|".join(re.escape(w) for w in sorted(spec["nouns"], key=len, reverse=True))
    compound = rf"(?P<speaker>\w[\w.&]*(?:-\w[\w.&]*)*?)-(?:{nouns})"
    if not lead:
        return re.compile(compound, re.IGNORECASE)
    leads = "|".join(re.escape(w) for w in sorted(spec["leads"], key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{leads})\s+{compound}(?!\w)", re.IGNORECASE)


def _compile_all(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]


@cache
def lemmatizer(lang: str) -> Callable[[str], str]:
    """A word's lemma, lower-cased, by simplemma: one mechanism for every language, its
    tables inside the package (spaCy's lemmatisers would double the French parse time,
    and German has no spaCy pipeline on PyPI)."""
    lemmatize = _simplemma().lemmatize

    @cache
    def lemma(word: str) -> str:
        try:
            return str(lemmatize(word, lang)).lower()
        except (ValueError, KeyError):
            return word.lower()

    return lemma


@cache
def _simplemma() -> Any:
    """simplemma's default lemmatizer over its own tables, read from the decoded copy kept
    in the user's cache (`lemmacache`: decoding German's costs 1.4 s per process)."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    from tally.extract.lemmacache import CachedDictionaries

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=CachedDictionaries()))


def _cues(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """word -> its tags ("st:detained", "time:current", "modality:intent"); a word may have several."""
    out: dict[str, list[str]] = {}
    for section, prefix in (("status", "st"), ("time", "time"), ("modality", "modality")):
        for name, words in data.get(section, {}).items():
            for w in words:
                tags = out.setdefault(w.lower(), [])
                if f"{prefix}:{name}" not in tags:
                    tags.append(f"{prefix}:{name}")
    return {w: tuple(t) for w, t in out.items()}


@cache
def load(lang: str) -> Lexicon:
    """The compiled vocabulary for `lang` (one of LANGS; any other reads as English)."""
    if lang not in LANGS:
        lang = "en"
    people = _read_json(lang, "people.json")
    status = _read_json(lang, "status.json")
    time = _read_json(lang, "time.json")
    attribution = _read_json(lang, "attribution.json")
    units = _read_json(lang, "units.json")
    grammar = _read_json(lang, "grammar.json")
    role_of: dict[str, str] = {}
    for role, words in people["roles"].items():
        for w in words:
            role_of.setdefault(w.lower(), role)
    status_nouns = {w: s for s, words in status["nouns"].items() for w in words}
    return Lexicon(
        lang=lang,
        role_of=role_of,
        generic=frozenset(people["generic"]),
        containers=frozenset(people["containers"]),
        collectives=frozenset(people["collectives"]),
        anaphors=frozenset(people["anaphors"]),
        anaphoric_nouns=frozenset(people.get("anaphoric_nouns", [])),
        plural_adjectives=frozenset(people.get("plural_only_adjectives", [])),
        multi_origin=_alternation(people["multi_origin"]),
        multi_origin_weak=frozenset(w.lower() for w in people.get("multi_origin_weak", [])),
        camps=frozenset(people["camps"]),
        status_order=tuple(status["order"]),
        # One alternation per status: the same matches as its patterns one by one, in one pass.
        status_patterns={k: [_any_of(v)] for k, v in status["patterns"].items()},
        weak_patterns={k: _compile_all(v) for k, v in status.get("weak", {}).items()},
        status_nouns=status_nouns,
        blockers=_bounded(status["blockers"]),
        failed=_bounded(status["failed"]) if status.get("failed") else None,
        future=_bounded(status["future"]),
        current=[_any_of(time["current"])],
        still=[_any_of(time["still"])],
        cumulative=[_any_of(time["cumulative"])],
        totals=[_any_of(time["totals"])],
        change_words=frozenset(time["change_words"]),
        event=[_any_of(time["event"])],
        period=_compile_all(time["period"]),
        # The forms listed by hand and every form of the verbs to inflect (scripts/gen_report_forms.py).
        report_verbs=frozenset(attribution["verbs"])
        | frozenset(_read_json(lang, "report_forms.json")["forms"]),
        according=re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(a) for a in attribution["according"]) + r")(?!\w)",
            re.IGNORECASE,
        ),
        according_after=frozenset(attribution["according_after"]),
        by_nouns=frozenset(attribution["by"]),
        documents=frozenset(attribution["documents"]),
        numbers_of=_numbers_of(attribution["numbers_of"]),
        honorific=re.compile(
            r"^(?:" + "|".join(re.escape(w) for w in attribution["honorifics"]["words"]) + r")\s+(?=[A-ZÀ-Ý])"
        ),
        own_reporting=_own_reporting(attribution["own_reporting"]),
        own_lead=_own_reporting(
            attribution["own_reporting"], (*attribution["according"], *attribution["own_reporting"]["lead"])
        ),
        compound_source=_compound_source(attribution.get("compound_sources"), lead=True),
        compound_speaker=_compound_source(attribution.get("compound_sources"), lead=False),
        pronouns=frozenset(attribution["pronouns"]),
        titles=frozenset(attribution["titles"]),
        unit_after=frozenset(units["after"]),
        unit_before=frozenset(units["before"]),
        currency=frozenset(units["currency"]),
        months=frozenset(units["months"]),
        not_people=frozenset(units["not_people"]),
        population={w: k for k, words in people.get("population", {}).items() for w in words},
        cues=_cues(_read_json(lang, "cues.json")),
        grammar=grammar,
        domain=re.compile(grammar["domain"], re.IGNORECASE),
        wordy_one=frozenset(grammar["wordy_one"]),
    )
