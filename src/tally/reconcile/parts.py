"""Wholes and their parts: "130 – including 68 men" puts 68 under 130.

Extraction gives each figure `part_of`, the span of the figure it is a part of as the
text writes it. Here that span is found among the figures of the same document (the
nearest one by position when the span recurs), so a part knows its whole. A part is
shown under its whole and never competes with it for a best estimate; parts that
cannot all fit in their whole are flagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from tally.reconcile.intervals import fmt_number
from tally.reconcile.points import Point
from tally.reconcile.vocab import holds, may_overlap

# Parts checked together against their whole at most: subsets are tried exhaustively.
MAX_PARTS_CHECKED = 12

_SPACE = re.compile(r"\s+")


def _span(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip().casefold()


def wholes(points: list[Point]) -> dict[int, Point]:
    """Each part's whole, by the part's id: the figure of its document whose span is its `part_of`."""
    by_doc: dict[str, list[Point]] = defaultdict(list)
    for p in points:
        by_doc[p.document].append(p)
    out: dict[int, Point] = {}
    for group in by_doc.values():
        spans: dict[str, list[Point]] = defaultdict(list)
        for p in group:
            spans[_span(p.span)].append(p)
        found: dict[int, Point] = {}
        for p in group:
            if not p.part_of:
                continue
            named = [w for w in spans.get(_span(p.part_of), ()) if w.id != p.id]
            if named:
                found[p.id] = min(named, key=lambda w: abs(w.id - p.id))
        out.update(_nested(group, found))
    return out


def _nested(group: list[Point], whole_of: dict[int, Point]) -> dict[int, Point]:
    """Breakdowns of a fate moved under that fate: in "of the 1,490 who joined, ... 130
    remain detained, including 68 men", a part of the whole with another status than the
    whole, the status of a sibling part before it, and a population that sibling holds
    (men within all), counts within the sibling, not beside it."""
    out = dict(whole_of)
    for p in group:
        w = whole_of.get(p.id)
        if w is None or p.key.status == w.key.status:
            continue
        inner = [
            q
            for q in group
            if whole_of.get(q.id) is w
            and q.id < p.id
            and q.key.status == p.key.status
            and holds(q.key.population, p.key.population)
            and q.interval.high >= p.interval.low
        ]
        if inner:
            out[p.id] = max(inner, key=lambda q: q.id)
    return out


def _disjoint(a: Point, b: Point, whole: Point) -> bool:
    """Whether two parts of one whole count different people: two different fates, or
    populations that hold no one in common (men and women; adults and minors). A part
    with the whole's own status is a subgroup ("1,060 within Daesh" of 1,654 who left)
    and may hold people of any fate."""
    if a.key.status != b.key.status:
        return whole.key.status not in (a.key.status, b.key.status)
    return not may_overlap(a.key.population, b.key.population)


@dataclass(frozen=True, slots=True)
class Overcount:
    """Parts that count different people and add up to more than their whole allows."""

    whole: Point
    parts: tuple[Point, ...]
    total: float

    def detail(self) -> str:
        said = " + ".join(p.span for p in self.parts)
        return (
            f"parts {said} = {fmt_number(self.total)} exceed their whole '{self.whole.span}'"
            f" (at most {fmt_number(self.whole.interval.high)})"
        )


def overcount(whole: Point, parts: list[Point]) -> Overcount | None:
    """The largest set of mutually disjoint parts whose least counts exceed the whole's
    greatest; None when the parts fit."""
    parts = sorted(parts, key=lambda p: -p.interval.low)[:MAX_PARTS_CHECKED]
    best: tuple[float, tuple[Point, ...]] = (0.0, ())
    for n in range(2, len(parts) + 1):
        for combo in combinations(parts, n):
            if all(_disjoint(a, b, whole) for a, b in combinations(combo, 2)):
                total = sum(p.interval.low for p in combo)
                if total > best[0]:
                    best = (total, combo)
    if len(parts) == 1 and parts[0].interval.low > whole.interval.high:
        best = (parts[0].interval.low, (parts[0],))
    total, combo = best
    if combo and total > whole.interval.high:
        return Overcount(whole, combo, total)
    return None
