"""Echo chains: one report repeated by many outlets counts once.

A report is a source entity and a date (`entities.resolve`). Points are taken earliest
first; each joins the chain of a report it restates or starts one of its own. Chains
cross series: "have travelled" retold as "are fighting" is still the report's figure,
so an echo sits in the chain (and series) of the statement it restates.

A point **restates** a chain's statement when every one of these holds (the thresholds
are named below):

- published no earlier than the statement and within ECHO_WINDOW_DAYS after it (a
  document that repeats the figure joins with the number as said, no mutation);
- the same population; from another speaker also the same counted origin (or none, for
  a specific number) and role and a status of the same restatement group
  (`data/accounting.toml`: joined/present, detained/convicted), all but the population
  waived for a distinctive number; one speaker may be read with a missing origin, and
  with another status for a number of at least SPECIFIC_MIN (the same entity giving
  the same number is restating itself, but its small numbers recur: "16 dead", "16
  dual nationals");
- its number is the statement's through a known mutation: the same number under any
  hedge, a range cut to one bound or its midpoint, or rounding within ROUNDING_TOLERANCE
  to a rounder number;
- and who says it: the same entity ("the Soufan Group", "le cabinet Soufan"). A point
  with no attribution, or only a generic one ("a security consultancy"), links only when
  its number is the statement's exactly and either specific (at least SPECIFIC_DIGITS
  significant digits and at least SPECIFIC_MIN) or the statement's source is described
  in the same words ("police", "the police"), or when the statement's number is
  distinctive (DISTINCTIVE_DIGITS) and the point rounds it; of several reports it fits,
  it joins the one it changes least, then the earliest (the original, not a later
  retelling). A name the entity data does not know may describe a known entity ("the
  Obama administration's top counterterrorism official"): with no chain of its own
  entity to join, it links as an unattributed point would.

The **unattributed-restatement rule**, in short: a number of at least SPECIFIC_MIN with
at least SPECIFIC_DIGITS significant digits ("3,400", "595", not "20,000" or "73"), the
same population, a counted origin that does not differ (one side may lack it) and, below
DISTINCTIVE_DIGITS, the same role and status group. Smaller or rounder numbers link only
through a speaker read from the article.

Copies in one story (near-duplicate documents) with similar quotes join whatever their
numbers, since an edited number in a copied sentence still belongs to the copy.

Chains are traced whenever the ledger is read, from the stored figures, and never
stored: an `echo_of` written at ingest would go stale when a document holding an earlier
statement of the report is ingested later, since that statement becomes the origin and
every link and mutation is judged against it anew.

Who says a figure is its own attributed source or, when its sentence names none, the
speaker read from its article (`speakers`: the report an article restates by three of
its numbers, or the one entity an article names for "the report"); such a figure joins
like an attributed one, but only chains of the report it was read from, and only on
the report's numbers as said (or rounded, for a distinctive number).

The chain's **origin** is its earliest attributed statement, the report's own words as
far as the ledger knows them; every echo's mutations are judged against it, never
against an earlier echo. Mutation kinds: `range_as_bound`, `dropped_up_to`,
`dropped_hedge`, `added_hedge`, `qualifier` (a hedge changed class), `value` (another
number), `source` (the attribution lost); a status or scope worded differently is a
`scope` change, kept apart in `Chain.rewordings`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from tally.reconcile.entities import KIND_UNKNOWN, Entity, same_entity, sources_match
from tally.reconcile.points import Point
from tally.reconcile.speakers import Speaker, speakers
from tally.reconcile.vocab import qualifier_class, status_group, vague_roles, vague_statuses

__all__ = ["Chain", "Mutation", "chains", "quotes_similar", "restates", "sources_match"]

# Share of words (numbers left out) two quotes in one story must have in common for a
# figure with a changed number to count as a copy of the other, not a second figure.
QUOTE_SIMILARITY = 0.6
# How long after a report an outlet restating it is still echoing it (published dates;
# a year-only date is read as 1 January). Later, the same number is a new statement.
ECHO_WINDOW_DAYS = 3 * 366
# A rounded retelling ("3,950" told as "4,000") differs from the report by at most this share.
ROUNDING_TOLERANCE = 0.05
# An unattributed restatement links only on a number at least this specific.
SPECIFIC_DIGITS = 2
SPECIFIC_MIN = 100
# A number with this many significant digits (at least SPECIFIC_MIN: "20,730", "595",
# "3,950") identifies its statement by itself: a restatement of it may read another
# status, role or scope, or no counted origin, and may round it ("595" told as "almost
# 600"); all are flagged. Rounder numbers recur, so they need the same people.
DISTINCTIVE_DIGITS = 3

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def _quote_words(quote: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(quote))


def quotes_similar(a: str, b: str) -> bool:
    wa, wb = _quote_words(a), _quote_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= QUOTE_SIMILARITY


@cache
def day(published: str | None) -> int | None:
    """A publication date as a day number ("2015" is 1 January 2015); None when unreadable."""
    m = _DATE.match(published or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).toordinal()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Mutation:
    """A change an echo made to its origin's figure."""

    point: Point
    kind: str  # range_as_bound | dropped_up_to | dropped_hedge | added_hedge | qualifier | value | source | scope
    detail: str


@dataclass(slots=True)
class Chain:
    """One independent statement: its origin point and the points that echo it.

    `mutations` are the changes of number, hedge and attribution; `rewordings` the
    changes of status or scope (same number, told as another fate or time)."""

    origin: Point
    echoes: list[Point] = field(default_factory=list)
    mutations: list[Mutation] = field(default_factory=list)
    rewordings: list[Mutation] = field(default_factory=list)
    # Who the origin speaks for: its own attributed source, else the entity read from the
    # report its article restates (`speakers`); None when no one is known.
    speaker: Entity | None = None

    @property
    def points(self) -> list[Point]:
        return [self.origin, *self.echoes]

    @property
    def entity(self) -> Entity | None:
        return self.origin.entity

    @property
    def documents(self) -> set[str]:
        return {p.document for p in self.points}


@cache
def _significant(x: float) -> int:
    digits = str(round(abs(x))).rstrip("0")
    return len(digits)


def _specific(p: Point, digits: int = SPECIFIC_DIGITS) -> bool:
    return _specific_numbers(p.numbers(), digits)


@cache
def _specific_numbers(numbers: frozenset[float], digits: int) -> bool:
    return any(x >= SPECIFIC_MIN and _significant(x) >= digits for x in numbers)


# Width of the number buckets chains are indexed by (a factor; any width is correct).
_BUCKET = math.log(1.1)


def _buckets(lo: float, hi: float) -> range:
    """The buckets a number between `lo` and `hi` may fall in (numbers below 1 share one)."""
    if lo > hi:
        return range(0)
    first = math.floor(math.log(lo) / _BUCKET) if lo >= 1 else -1
    last = math.floor(math.log(hi) / _BUCKET) if hi >= 1 else -1
    return range(first, last + 1)


def _reach(p: Point) -> tuple[float, float]:
    """The numbers a restatement of `p` may give: its own, and rounding's margin around them."""
    xs = p.numbers()
    if not xs:
        return math.inf, -math.inf  # nothing to restate
    return min(xs) * (1 - ROUNDING_TOLERANCE), max(xs) * (1 + ROUNDING_TOLERANCE)


def _distinctive(p: Point) -> bool:
    return _specific(p, DISTINCTIVE_DIGITS)


def _rounded(report: float, told: float) -> bool:
    """Whether `told` is `report` rounded: close, and with fewer significant digits."""
    if report <= 0 or told == report:
        return False
    close = abs(told - report) / report <= ROUNDING_TOLERANCE
    return close and _significant(told) < _significant(report)


def restates(report: Point, echo: Point, *, exact: bool = False) -> list[Mutation] | None:
    """The mutations by which `echo` restates `report`'s figure, or None if it does not.

    Only number and hedge are judged here (who and when are the chain's business).
    With `exact`, the echo must give one of the report's numbers.
    """
    shared = bool(report.numbers() & echo.numbers())
    rc, ec = qualifier_class(report.qualifier), qualifier_class(echo.qualifier)
    midpoint = (
        rc == "range"
        and report.low is not None
        and report.high is not None
        and echo.value is not None
        and echo.value == (report.low + report.high) / 2
    )
    rounded = (
        not exact
        and report.value is not None
        and echo.value is not None
        and _rounded(report.value, echo.value)
    )
    if not (shared or midpoint or rounded):
        return None
    said = f"'{report.span}' ({report.qualifier}) told as '{echo.span}' ({echo.qualifier})"
    out = []
    if rc == "range" and ec != "range":
        out.append(Mutation(echo, "range_as_bound", said))
    elif rounded:
        # A true bound used while rounding ("187" told as "more than 180") changes nothing.
        bound = echo.value is not None and report.value is not None
        true_bound = bound and (
            (ec == "lower" and echo.value < report.value) or (ec == "upper" and echo.value > report.value)  # type: ignore[operator]
        )
        if not true_bound:
            out.append(Mutation(echo, "value", said))
    elif not echo.numbers() <= report.numbers() and not midpoint:
        out.append(Mutation(echo, "value", said))
    if rc != ec and rc != "range" and not (rounded and not out):
        if rc == "upper":
            kind = "dropped_up_to"
        elif ec == "approximate":
            kind = "dropped_hedge"
        elif rc == "approximate":
            kind = "added_hedge"
        else:
            kind = "qualifier"
        out.append(Mutation(echo, kind, said))
    return out


def _same_status(a: Point, b: Point) -> bool:
    return b.key.status in status_group(a.key.status) or bool({a.key.status, b.key.status} & vague_statuses())


def _same_people(a: Point, b: Point, *, one_speaker: bool) -> bool:
    """Whether `b` may count the people `a` counts: one population and origin, one role
    and a status of the same restatement group (a vague status or role stands for any).

    When one speaker says both (`one_speaker`), the population must agree and an origin
    may be missing on one side: an entity that gives the same number within the window
    is restating itself, and what differs is how the outlets read its words; its status
    may be read differently too, but only for a number of at least SPECIFIC_MIN (an
    agency's "16 dead" and "16 dual nationals" are two figures). A distinctive number
    (DISTINCTIVE_DIGITS) from another speaker is held to the population and to an
    origin that does not differ, nothing else."""
    if a.key.population != b.key.population:
        return False
    origin_fits = a.key.origin == b.key.origin or None in (a.key.origin, b.key.origin)
    if one_speaker:
        return origin_fits and (_same_status(a, b) or _specific(a, 1) or _specific(b, 1))
    if _distinctive(a) and _distinctive(b) and origin_fits:
        return True
    return (
        (a.key.origin == b.key.origin or (origin_fits and _specific(a) and _specific(b)))
        and (a.key.role == b.key.role or bool({a.key.role, b.key.role} & vague_roles()))
        and _same_status(a, b)
    )


def _rewordings(origin: Point, echo: Point) -> list[Mutation]:
    out = []
    if echo.key.status != origin.key.status:
        out.append(Mutation(echo, "scope", f"status '{origin.key.status}' told as '{echo.key.status}'"))
    if echo.key.scope != origin.key.scope and origin.key.scope and echo.key.scope:
        out.append(Mutation(echo, "scope", f"scope '{origin.key.scope}' told as '{echo.key.scope}'"))
    return out


def _in_window(report: Point, echo: Point) -> bool:
    a, b = day(report.published), day(echo.published)
    if a is None or b is None:
        return True  # undated: the date cannot rule it out
    return 0 <= b - a <= ECHO_WINDOW_DAYS


class _Chains:
    """The chains built so far, indexed by who they count."""

    def __init__(self, speaker: dict[int, Speaker]) -> None:
        self.speaker = speaker
        self.all: list[Chain] = []
        self.reach: dict[int, tuple[float, float]] = {}  # by id() of a chain
        # Chains by population and the buckets of the numbers a restatement may give
        # (`_reach`), so a point is compared with the chains it could restate, not all.
        self.by_number: dict[tuple[str, int], list[tuple[int, Chain]]] = defaultdict(list)
        self.by_story: dict[str, list[Chain]] = defaultdict(list)

    def start(self, p: Point) -> None:
        c = Chain(p, speaker=self.who(p))
        self.all.append(c)
        self.reach[id(c)] = _reach(p)
        lo, hi = self.reach[id(c)]
        for b in _buckets(lo, hi):
            self.by_number[p.key.population, b].append((len(self.all), c))
        if p.story:
            self.by_story[p.story].append(c)

    def join(self, c: Chain, p: Point, mutations: list[Mutation]) -> None:
        c.echoes.append(p)
        c.mutations.extend(mutations)
        if (
            c.origin.entity is not None
            and c.origin.entity.attributed
            and not sources_match(c.origin.source, p.source)
        ) and (p.entity is None or not p.entity.attributed):
            was = f"'{c.origin.source}' became " + (f"'{p.source}'" if p.source else "unattributed")
            c.mutations.append(Mutation(p, "source", was))
        c.rewordings.extend(_rewordings(c.origin, p))
        if p.story and c not in self.by_story[p.story]:
            self.by_story[p.story].append(c)

    def who(self, p: Point) -> Entity | None:
        """Who speaks for a point: its own attributed source, else the one its article
        restates (`speakers`)."""
        s = self.speaker.get(p.id)
        if s is not None:
            return s.entity
        return p.entity if p.entity is not None and p.entity.attributed else None

    def report_of(self, p: Point) -> str:
        """The document whose statement a point repeats as far as its speaker goes: its
        own, unless its speaker was read from the report its article restates."""
        s = self.speaker.get(p.id)
        return s.report if s is not None and s.report is not None else p.document

    def copy_of(self, p: Point) -> Chain | None:
        """A chain holding a near-duplicate of `p` (same story, another document, similar quote)."""
        if not p.story:
            return None
        for c in self.by_story.get(p.story, ()):
            if c.origin.key == p.key and any(
                q.story == p.story and q.document != p.document and quotes_similar(q.quote, p.quote)
                for q in c.points
            ):
                return c
        return None

    def candidates(self, p: Point, *, one_speaker: bool) -> list[tuple[Chain, list[Mutation]]]:
        """The chains `p` may restate, with the mutations each would take.

        A document may restate a report's figure more than once; a second mention
        joins only with the report's number as said, never through a mutation."""
        out = []
        xs = p.numbers()
        near = {
            n: c for x in xs for b in _buckets(x, x) for n, c in self.by_number.get((p.key.population, b), ())
        }
        for _n, c in sorted(near.items(), key=lambda nc: nc[0]):
            lo, hi = self.reach[id(c)]
            if not any(lo <= x <= hi for x in xs):
                continue  # no number of p the statement's could be, even rounded
            if one_speaker and not same_entity(self.who(c.origin), self.who(p)):
                continue
            if (
                one_speaker
                and (read := self.speaker.get(p.id)) is not None
                and read.report is not None
                and read.report not in c.documents | {self.report_of(c.origin)}
            ):
                continue  # a speaker read from one report joins that report's chains only
            if not _same_people(c.origin, p, one_speaker=one_speaker) or not _in_window(c.origin, p):
                continue
            again = p.document in c.documents
            told = self.who(p) is p.entity  # a speaker read from the article links on its numbers as said
            exact = again or not ((one_speaker and told) or _distinctive(c.origin))
            m = restates(c.origin, p, exact=exact)
            if m is not None and not (again and any(x.kind == "value" for x in m)):
                out.append((c, m))
        return out


def _closest(found: list[tuple[Chain, list[Mutation]]]) -> tuple[Chain, list[Mutation]]:
    """Of several chains a point restates: the one it changes least, then the latest report."""
    return min(found, key=lambda cm: (len(cm[1]), -(day(cm[0].origin.published) or 0)))


def _unattributed_links(built: _Chains, p: Point) -> list[tuple[Chain, list[Mutation]]]:
    """The chains a point no known speaker stands for may join: by a specific number
    (SPECIFIC_DIGITS, SPECIFIC_MIN), by a distinctive one rounded, by its own article's
    figure (a headline), or by a statement described in the same words. A round number
    links only to a statement described in the same words."""
    found = built.candidates(p, one_speaker=False)
    # A round number that another statement gives as said restates that one, not a
    # distinctive number rounded ("some 20,000" is the 20,000, not "20,370").
    said_elsewhere = any(p.numbers() & c.origin.numbers() for c, _m in found)
    return [
        (c, m)
        for c, m in found
        if (_specific(p) and bool(p.numbers() & c.origin.numbers()))
        or (
            not said_elsewhere
            and _distinctive(c.origin)
            and any(x.kind == "value" for x in m)
            and len(m) <= 2
        )
        or p.document in c.documents  # a headline restating its own article's figure
        or (p.source and sources_match(c.origin.source, p.source))
    ]


def chains(points: list[Point]) -> list[Chain]:
    """The echo chains of the points, earliest origin first (see the module docstring)."""
    pts = sorted(points, key=Point.order)
    built = _Chains(speakers(pts, _in_window))
    said = [p for p in pts if p.entity is not None and p.entity.attributed and p.id not in built.speaker]
    named = [p for p in said if p.entity is not None and p.entity.kind != KIND_UNKNOWN]
    unnamed = [p for p in said if p.entity is not None and p.entity.kind == KIND_UNKNOWN]
    read = [p for p in pts if p.id in built.speaker]
    silent = [p for p in pts if (p.entity is None or not p.entity.attributed) and p.id not in built.speaker]
    # Those who name their source make the origins: entities the data knows first, then
    # names it does not (often a description of one it knows), then speakers read from
    # the article; each group earliest first.
    for p in [*named, *unnamed, *read]:
        copy = built.copy_of(p)
        if copy is not None:
            built.join(copy, p, restates(copy.origin, p) or [])
            continue
        found = built.candidates(p, one_speaker=True)
        if not found and p.entity is not None and p.entity.kind == KIND_UNKNOWN:
            # A name the data does not know may be another entity's description
            # ("the Obama administration's top counterterrorism official").
            found = _unattributed_links(built, p)
        if found:
            c, m = _closest(found)
            built.join(c, p, m)
        else:
            built.start(p)
    for p in silent:
        copy = built.copy_of(p)
        if copy is not None:
            built.join(copy, p, restates(copy.origin, p) or [])
            continue
        found = _unattributed_links(built, p)
        if found:  # the earliest statement it matches: the original, not a later retelling
            c, m = min(found, key=lambda cm: (len(cm[1]), cm[0].origin.order()))
            built.join(c, p, m)
        else:
            built.start(p)
    return sorted(built.all, key=lambda c: c.origin.order())
