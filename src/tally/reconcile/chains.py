"""Echo chains: one report repeated by many outlets counts once.

Within a series, two points are links of one chain when they give the same figure
(they share a number) with the same attributed origin ("the Soufan Group" and "a
recent report by the Soufan Group"), or when they are copies within one story
(near-duplicate documents), where an edited number in a similar sentence still belongs
to the copy it came from. The earliest point of a chain is its origin, the rest its echoes; chains are
the independent statements. Each echo is compared with its origin and every change
a retelling made (a range become 'more than', a dropped 'up to') is flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from tally.reconcile.points import Point

# Share of words (numbers left out) two quotes in one story must have in common for a
# figure with a changed number to count as a copy of the other, not a second figure.
QUOTE_SIMILARITY = 0.6

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b")


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


def _quote_words(quote: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(quote))


def quotes_similar(a: str, b: str) -> bool:
    wa, wb = _quote_words(a), _quote_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= QUOTE_SIMILARITY


@dataclass(frozen=True, slots=True)
class Mutation:
    """A change an echo made to its origin's figure."""

    point: Point
    kind: str  # range_as_bound | dropped_up_to | dropped_hedge | added_hedge | qualifier | value | source
    detail: str


@dataclass(slots=True)
class Chain:
    """One independent statement: its origin point and the points that echo it."""

    origin: Point
    echoes: list[Point] = field(default_factory=list)
    mutations: list[Mutation] = field(default_factory=list)

    @property
    def points(self) -> list[Point]:
        return [self.origin, *self.echoes]


def _mutations(origin: Point, echo: Point) -> list[Mutation]:
    out = []
    oq, eq = origin.qualifier, echo.qualifier
    said = f"'{origin.span}' ({oq}) reported as '{echo.span}' ({eq})"
    if oq != eq:
        if oq == "range" and eq in ("more_than", "at_least"):
            kind = "range_as_bound"
        elif oq == "at_most" and eq != "less_than":
            kind = "dropped_up_to"
        elif eq == "exact":
            kind = "dropped_hedge"
        elif oq == "exact":
            kind = "added_hedge"
        else:
            kind = "qualifier"
        out.append(Mutation(echo, kind, said))
    if not echo.numbers() <= origin.numbers():
        out.append(Mutation(echo, "value", said))
    if origin.source and not sources_match(origin.source, echo.source):
        was = f"'{origin.source}' became " + (f"'{echo.source}'" if echo.source else "unattributed")
        out.append(Mutation(echo, "source", was))
    return out


class _Links:
    """Union-find over point indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def chains(points: list[Point]) -> list[Chain]:
    """The echo chains of one series' points, earliest origin first."""
    pts = sorted(points, key=Point.order)
    links = _Links(len(pts))
    by_number: dict[float, list[int]] = defaultdict(list)
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pts):
        for x in p.numbers():
            by_number[x].append(i)
        if p.story:
            by_story[p.story].append(i)
    for bucket in by_number.values():
        for n, i in enumerate(bucket):
            for j in bucket[n + 1 :]:
                same_story = pts[i].story is not None and pts[i].story == pts[j].story
                if same_story or sources_match(pts[i].source, pts[j].source):
                    links.join(i, j)
    for bucket in by_story.values():
        for n, i in enumerate(bucket):
            for j in bucket[n + 1 :]:
                # Two numbers in one document are two figures ("189 women and 309 children"),
                # never a retelling of each other.
                if pts[i].document == pts[j].document or links.find(i) == links.find(j):
                    continue
                if quotes_similar(pts[i].quote, pts[j].quote):
                    links.join(i, j)
    groups: dict[int, list[Point]] = defaultdict(list)
    for i, p in enumerate(pts):
        groups[links.find(i)].append(p)
    out = []
    for root in sorted(groups):
        origin, *echoes = groups[root]
        chain = Chain(origin, echoes)
        for e in echoes:
            chain.mutations.extend(_mutations(origin, e))
        out.append(chain)
    return out
