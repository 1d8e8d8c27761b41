"""Source entities: who a figure's `source` string names, resolved against data.

"the Soufan Group", "le cabinet Soufan" and "a report by the Soufan Group" are one
entity; "the Soufan Center" is another. Entities and their aliases (English, French,
German) are data (`data/entities.toml`); the words that make a description generic
("an intelligence consultancy", "des sources sécuritaires") are data too
(`data/generic.toml`). Resolution is a pure function of the string:

1. the longest alias found in the source as whole words names the entity (acronyms in
   capitals match only in capitals, so the French article "un" is not the UN);
2. else a source made only of generic words is a *generic* source, kept as written;
3. else the source is an unknown name, its own entity, keyed by its words.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

KIND_NAMED = "named"  # an entity of the data file
CATEGORY_MEDIA = "media"  # an outlet or agency: passes figures on more than it makes them
KIND_GENERIC = "generic"  # a description that names no one ("a security source")
KIND_UNKNOWN = "unknown"  # a name the data file does not know: its own entity

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b")


@dataclass(frozen=True, slots=True)
class Entity:
    """A source entity: `id` is stable (URLs, exports), `name` is for people to read."""

    id: str
    name: str
    kind: str  # named | generic | unknown
    category: str | None = None  # for named entities: research, government, police, ...
    parents: tuple[str, ...] = ()  # the offices it reports to, nearest first

    @property
    def attributed(self) -> bool:
        """Whether the entity names who made the figure: a generic description, or an
        outlet that passes figures on, weighs like no source when tracing echoes."""
        return self.kind != KIND_GENERIC and self.category != CATEGORY_MEDIA

    @property
    def family(self) -> frozenset[str]:
        return frozenset({self.id, *self.parents})


@cache
def _fillers() -> frozenset[str]:
    text = files("tally.reconcile").joinpath("data/source_fillers.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.strip()) and not w.startswith("#"))


@cache
def source_words(source: str | None) -> frozenset[str]:
    """The words that name a source, with articles and framing ('a report by') removed."""
    if not source:
        return frozenset()
    text = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", source.casefold()))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return frozenset(w for w in _WORD.findall(text) if w not in _fillers())


def sources_match(a: str | None, b: str | None) -> bool:
    """Whether two attributions name the same origin: equal, or one's words within the other's."""
    wa, wb = source_words(a), source_words(b)
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", text))
    return "".join(c for c in text if not unicodedata.combining(c))


def _tokens(text: str, *, keep_case: bool) -> tuple[str, ...]:
    folded = _fold(text)
    return tuple(t if keep_case else t.casefold() for t in _TOKEN.findall(folded))


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6


@dataclass(frozen=True, slots=True)
class _Alias:
    tokens: tuple[str, ...]
    exact_case: bool
    entity: Entity


@cache
def _aliases() -> tuple[_Alias, ...]:
    raw = files("tally.reconcile").joinpath("data/entities.toml").read_text(encoding="utf-8")
    rows = tomllib.loads(raw)["entity"]
    parent = {e["id"]: e.get("parent") for e in rows}
    out = []
    for e in rows:
        chain: list[str] = []
        up = parent.get(e["id"])
        while up and up not in chain:
            chain.append(up)
            up = parent.get(up)
        entity = Entity(e["id"], e["name"], KIND_NAMED, e.get("kind"), tuple(chain))
        for alias in [e["name"], *e.get("aliases", [])]:
            exact = _is_acronym(alias)
            tokens = _tokens(alias, keep_case=exact)
            if tokens:
                out.append(_Alias(tokens, exact, entity))
    # Longest first, so "Soufan Center" is tried before "Soufan".
    return tuple(sorted(out, key=lambda a: -len(a.tokens)))


@cache
def _generic_words() -> frozenset[str]:
    raw = files("tally.reconcile").joinpath("data/generic.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    return frozenset(_fold(w).casefold() for words in data.values() for w in words)


def _contains(seq: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


@cache
def resolve(source: str | None) -> Entity | None:
    """The entity a source string names; None when the figure is unattributed."""
    if not source or not source.strip():
        return None
    lower = _tokens(source, keep_case=False)
    cased = _tokens(source, keep_case=True)
    for alias in _aliases():
        if _contains(cased if alias.exact_case else lower, alias.tokens):
            return alias.entity
    words = source_words(source)
    folded = {_fold(w) for w in words}
    text = " ".join(source.split())
    if not folded or folded <= _generic_words():
        return Entity("generic:" + " ".join(lower), text, KIND_GENERIC)
    return Entity("name:" + " ".join(sorted(folded)), text, KIND_UNKNOWN)


def same_entity(a: Entity | None, b: Entity | None) -> bool:
    """Whether two resolved sources are one speaker: one named entity (or an office and
    the one it reports to), or unknown names whose words contain each other ("Neumann"
    and "Peter Neumann"). Generic descriptions, outlets and missing sources are never
    the same entity as anything."""
    if a is None or b is None or not a.attributed or not b.attributed:
        return False
    if a.kind == KIND_NAMED or b.kind == KIND_NAMED:
        return a.id in b.family or b.id in a.family
    wa, wb = set(a.id[5:].split()), set(b.id[5:].split())
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)
