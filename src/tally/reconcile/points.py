"""Figures as points of series: keyed by who is counted and what happened to them.

A series is the figures for one (origin, status, role, scope, population): "French
militants who returned, cumulative, all of them" and "... adults only" are two series,
so a breakdown never stands in for its total. Each point carries its number as an interval, the date it
speaks for, and its provenance, so every later step is plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tally.reconcile.entities import Entity, resolve
from tally.reconcile.intervals import Interval, interval
from tally.reconcile.vocab import other_event_words, relative_years, since_words

if TYPE_CHECKING:
    from tally.store.records import StoredFigure

# Series hold counts of people; percentages and fractions of a whole are another axis.
SERIES_KINDS = frozenset({"count"})

# How far before a period (in characters) a word may date it as something else's.
_EVENT_REACH = 24
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """What a series counts: people from `origin` with `status`, in `role`, over `scope`,
    restricted to `population` (all, men, women, minors, adults, mixed)."""

    origin: str | None
    status: str
    role: str
    scope: str | None
    population: str = "all"

    def label(self) -> str:
        parts = [self.origin or "origin unknown", self.status, self.role, self.scope or "scope unknown"]
        if self.population != "all":
            parts.append(self.population)
        return " · ".join(parts)

    def sort_key(self) -> tuple[str, str, str, str, bool, str]:
        return (
            self.origin or "~",
            self.status,
            self.role,
            self.scope or "~",
            self.population != "all",
            self.population,
        )


@dataclass(frozen=True, slots=True)
class Point:
    """One stated figure in a series, with the date it speaks for and where it was said."""

    id: int
    key: SeriesKey
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    span: str
    interval: Interval
    as_of: str | None  # a year ("2016") or a publication date ("2018-03-01")
    year: int | None
    source: str | None
    outlet: str | None
    published: str | None
    document: str
    doc: str
    story: str | None
    quote: str
    part_of: str | None = None  # the span of the whole this figure is a part of, as written
    lang: str | None = None
    entity: Entity | None = None

    @property
    def population(self) -> str:
        return self.key.population

    def numbers(self) -> frozenset[float]:
        """The numbers the text gives, whatever their hedge: what echoes share."""
        return frozenset(x for x in (self.value, self.low, self.high) if x is not None)

    def order(self) -> tuple[str, str, int]:
        """Earliest said first; undated last."""
        return (self.published or "9999", self.document, self.id)


def as_of(
    period: str | None, published: str | None, quote: str | None = None
) -> tuple[str | None, int | None]:
    """The date a figure speaks for: the stated period's year if it names an end, else publication.

    "in 2015", "by the end of 2016", "between 2012 and 2015" give their last year;
    "since 2012" gives where counting began, so the publication date stands; "last year"
    is read against the publication. A period that dates something else in the sentence
    ("the BCIJ, created in 2015") or a year after publication is not the figure's date.
    """
    pub_year = None
    if published:
        m = _YEAR.match(published)
        pub_year = int(m.group(1)) if m else None
    if period and not _starts_count(period) and not _dates_other_event(period, quote):
        years = [int(y) for y in _YEAR.findall(period)]
        if years and (pub_year is None or years[-1] <= pub_year):
            return str(years[-1]), years[-1]
        offset = _relative(period)
        if not years and offset is not None and pub_year is not None:
            return str(pub_year + offset), pub_year + offset
    if published:
        return published, pub_year
    return None, None


def _starts_count(period: str) -> bool:
    """Whether the period names where counting began ("since 2012", "seit 2012"; data:
    `accounting.toml` [dates] since): the count is then as of publication."""
    first = period.strip().casefold()
    return any(first == w or first.startswith(w + " ") for w in since_words())


def _relative(period: str) -> int | None:
    text = period.casefold()
    return next((n for words, n in relative_years().items() if words in text), None)


def _dates_other_event(period: str, quote: str | None) -> bool:
    """Whether the sentence ties the period to an event other than the count: an
    other-event word ("created", "fondé", "gegründet") right before it."""
    if not quote:
        return False
    at = quote.find(period)
    if at < 0:
        return False
    before = quote[max(0, at - _EVENT_REACH) : at].casefold()
    return any(re.search(rf"\b{re.escape(w)}\b", before) for w in other_event_words())


def to_point(sf: StoredFigure) -> Point | None:
    """The point a stored figure makes, or None if it is no count or states no number."""
    f = sf.figure
    if f.kind not in SERIES_KINDS:
        return None
    iv = interval(f.qualifier, f.value, f.low, f.high)
    if iv is None:
        return None
    date, year = as_of(f.period, f.published, f.quote)
    return Point(
        id=sf.id,
        key=SeriesKey(f.origin, f.status, f.role, f.scope, f.population or "all"),
        value=f.value,
        low=f.low,
        high=f.high,
        qualifier=f.qualifier,
        span=f.span,
        interval=iv,
        as_of=date,
        year=year,
        source=f.source,
        outlet=f.outlet,
        published=f.published,
        document=sf.document,
        doc=f.doc,
        story=sf.story,
        quote=f.quote,
        part_of=f.part_of,
        lang=f.lang,
        entity=resolve(f.source),
    )


def to_points(figs: Iterable[StoredFigure]) -> list[Point]:
    return [p for p in map(to_point, figs) if p is not None]
