"""Figures as points of series: keyed by who is counted and what happened to them.

A series is the figures for one (origin, status, role, scope): "French militants
who returned, cumulative". Each point carries its number as an interval, the date it
speaks for, and its provenance, so every later step is plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tally.reconcile.intervals import Interval, interval
from tally.store.records import StoredFigure

# Series hold counts of people; percentages and fractions of a whole are another axis.
SERIES_KINDS = frozenset({"count"})

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# A period that opens with these words names where counting began, not the date the
# figure speaks for ("since 2012": the count is as of publication).
_START_WORDS = re.compile(r"^\s*(since|from|after|starting|depuis|à partir de|dès)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """What a series counts: people from `origin` with `status`, in `role`, over `scope`."""

    origin: str | None
    status: str
    role: str
    scope: str | None

    def label(self) -> str:
        return " · ".join(
            [self.origin or "origin unknown", self.status, self.role, self.scope or "scope unknown"]
        )

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.origin or "~", self.status, self.role, self.scope or "~")


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

    def numbers(self) -> frozenset[float]:
        """The numbers the text gives, whatever their hedge: what echoes share."""
        return frozenset(x for x in (self.value, self.low, self.high) if x is not None)

    def order(self) -> tuple[str, str, int]:
        """Earliest said first; undated last."""
        return (self.published or "9999", self.document, self.id)


def as_of(period: str | None, published: str | None) -> tuple[str | None, int | None]:
    """The date a figure speaks for: the stated period's year if it names an end, else publication.

    "in 2015", "by the end of 2016", "between 2012 and 2015" give their last year;
    "since 2012" gives where counting began, so the publication date stands.
    """
    if period and not _START_WORDS.match(period):
        years = _YEAR.findall(period)
        if years:
            return years[-1], int(years[-1])
    if published:
        m = _YEAR.match(published)
        return published, int(m.group(1)) if m else None
    return None, None


def to_point(sf: StoredFigure) -> Point | None:
    """The point a stored figure makes, or None if it is no count or states no number."""
    f = sf.figure
    if f.kind not in SERIES_KINDS:
        return None
    iv = interval(f.qualifier, f.value, f.low, f.high)
    if iv is None:
        return None
    date, year = as_of(f.period, f.published)
    return Point(
        id=sf.id,
        key=SeriesKey(f.origin, f.status, f.role, f.scope),
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
    )


def to_points(figs: Iterable[StoredFigure]) -> list[Point]:
    return [p for p in map(to_point, figs) if p is not None]
