"""Conflicts and best estimates, per series and period (the as-of year).

A chain's period is its origin's as-of year: an outlet repeating a 2015 figure in
2017 is still telling 2015's count. Within a period, independent chains from
different documents whose intervals share no value conflict. The best estimate is chosen by one rule,
applied in order and named in the output so a reader can disagree with it:

0. the whole population before its parts: a chain whose statement is a part of another
   figure of the series ("255 adults" of "323" when both read as one series) never
   competes with wholes, and of one document's figures for the series only its largest
   competes (a text does not dispute itself: several counts of one series in one text
   are nested groups, "about 220 people, including children" and "about 170 over 13");
   the step is named in the output ("whole before its parts, then ...") when it removed
   a chain;
1. most independent sources: the chain whose interval agrees (overlaps) with the
   most chains from other documents; echoes do not vote, they are one source
   repeated, and a document does not confirm itself;
2. among equally supported chains, the latest report (latest origin publication),
   since later counts include earlier ones and corrections;
3. then, when the remaining statements all disagree (no two intervals overlap), the
   most inclusive count (the largest lower bound): between statements nothing else
   tells apart, the smaller more often counts a subgroup (ten soldiers among 220 people);
4. then the narrowest interval, the most precise statement;
5. then the earliest chain, so the choice is stable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from tally.reconcile.chains import Chain
from tally.reconcile.parts import Overcount
from tally.reconcile.points import Point, SeriesKey

# Parts of parts are followed this deep under a whole ("1,490" > "130 detained" > "68 men").
MAX_PART_DEPTH = 3

RULE_SINGLE = "single source"
RULE_WHOLE = "whole before its parts"
RULE_SUPPORT = "most independent sources"
RULE_LATEST = "latest report"
RULE_INCLUSIVE = "most inclusive count"
RULE_NARROWEST = "narrowest interval"
RULE_FIRST = "earliest report"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two independent statements about one series and period that cannot both be true."""

    year: int | None
    a: Chain
    b: Chain


@dataclass(frozen=True, slots=True)
class Estimate:
    """The statement chosen for a series and period, the rule that chose it, and its support."""

    year: int | None
    chain: Chain
    rule: str
    support: int  # independent chains from other documents that agree with it
    chains: int  # independent chains in the period


@dataclass(slots=True)
class Series:
    """Everything reconciled about one series."""

    key: SeriesKey
    chains: list[Chain] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)
    # The parts of each whole stated in this series' chains, by the whole's figure id,
    # and the wholes whose parts add up to more than they allow.
    parts: dict[int, list[Point]] = field(default_factory=dict)
    overcounts: list[Overcount] = field(default_factory=list)
    # Chains whose statement is itself a part of a figure of this series.
    part_chains: set[int] = field(default_factory=set)

    def is_part(self, chain: Chain) -> bool:
        return id(chain) in self.part_chains

    def parts_under(self, whole: Point, depth: int = 1) -> list[tuple[Point, Point, int]]:
        """(part, its whole, depth) under a whole, each part followed by its own parts."""
        out = []
        for q in self.parts.get(whole.id, ()):
            out.append((q, whole, depth))
            if depth < MAX_PART_DEPTH:
                out.extend(self.parts_under(q, depth + 1))
        return out

    @property
    def points(self) -> int:
        return sum(len(c.points) for c in self.chains)


def periods(chains: list[Chain]) -> dict[int | None, list[Chain]]:
    """Chains grouped by their origin's as-of year, in time order (undated last)."""
    out: dict[int | None, list[Chain]] = defaultdict(list)
    for c in chains:
        out[c.origin.year].append(c)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))


def conflicts(year: int | None, chains: list[Chain], parts: frozenset[int] = frozenset()) -> list[Conflict]:
    """Pairs of chains in one period whose origins' intervals do not overlap.

    Only a known year is a period: figures of unknown date may speak for different
    years, so they are not said to conflict. Two figures of one document are not a
    conflict either: a text does not dispute itself, it counts two things.
    """
    if year is None:
        return []
    return [
        Conflict(year, a, b)
        for a, b in combinations(chains, 2)
        if id(a) not in parts
        and id(b) not in parts
        and a.origin.document != b.origin.document
        and not a.origin.interval.overlaps(b.origin.interval)
    ]


def best(year: int | None, chains: list[Chain], parts: frozenset[int] = frozenset()) -> Estimate:
    """The best estimate among a period's chains, by the rule in this module's docstring.

    `parts` holds the ids of chains whose statement is a part of a figure of the series."""
    pool = [c for c in chains if id(c) not in parts] or list(chains)
    largest: dict[str, Chain] = {}
    for c in pool:
        doc = c.origin.document
        if doc not in largest or c.origin.interval.low > largest[doc].origin.interval.low:
            largest[doc] = c
    wholes = [c for c in pool if largest[c.origin.document] is c]
    if len(wholes) == len(chains):
        return _best(year, chains, len(chains))
    if len(wholes) == 1:
        return Estimate(year, wholes[0], RULE_WHOLE, 0, len(chains))
    e = _best(year, wholes, len(chains))
    return Estimate(year, e.chain, f"{RULE_WHOLE}, then {e.rule}", e.support, e.chains)


def _best(year: int | None, chains: list[Chain], total: int) -> Estimate:
    support = {
        id(c): sum(
            1
            for d in chains
            if d.origin.document != c.origin.document and c.origin.interval.overlaps(d.origin.interval)
        )
        for c in chains
    }
    if len(chains) == 1:
        return Estimate(year, chains[0], RULE_SINGLE, 0, 1)
    rules: list[tuple[Callable[[Chain], Any], str]] = [
        (lambda c: support[id(c)], RULE_SUPPORT),
        (lambda c: c.origin.published or "", RULE_LATEST),
        (lambda c: c.origin.interval.low, RULE_INCLUSIVE),
        (lambda c: -c.origin.interval.width, RULE_NARROWEST),
    ]
    pool = list(chains)
    for key, rule in rules:
        if rule == RULE_INCLUSIVE and any(
            a.origin.interval.overlaps(b.origin.interval) for a, b in combinations(pool, 2)
        ):
            continue
        top = max(key(c) for c in pool)
        winners = [c for c in pool if key(c) == top]
        if len(winners) == 1:
            return Estimate(year, winners[0], rule, support[id(winners[0])], total)
        pool = winners
    return Estimate(year, pool[0], RULE_FIRST, support[id(pool[0])], total)
