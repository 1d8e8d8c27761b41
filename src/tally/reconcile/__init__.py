"""Reconcile stored figures into series, echo chains, conflicts and best estimates.

Pure functions over figure records: no I/O, so the CLI, the web API and the batch
engine all reconcile the same way, and tests need no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from tally.reconcile.chains import Chain, Mutation, chains, sources_match
from tally.reconcile.estimate import Conflict, Estimate, Series, best, conflicts, periods
from tally.reconcile.intervals import APPROX_TOLERANCE, NEARLY_TOLERANCE, Interval, interval
from tally.reconcile.points import Point, SeriesKey, as_of, to_points
from tally.store.records import StoredFigure

__all__ = [
    "APPROX_TOLERANCE",
    "NEARLY_TOLERANCE",
    "Chain",
    "Conflict",
    "Estimate",
    "Interval",
    "Mutation",
    "Point",
    "Series",
    "SeriesKey",
    "as_of",
    "interval",
    "reconcile",
    "sources_match",
]


def reconcile(figures: Iterable[StoredFigure]) -> list[Series]:
    """Every series the figures make, with chains, conflicts and a best estimate per period."""
    by_key: dict[SeriesKey, list[Point]] = defaultdict(list)
    for p in to_points(figures):
        by_key[p.key].append(p)
    out = []
    for key in sorted(by_key, key=SeriesKey.sort_key):
        series = Series(key, chains(by_key[key]))
        for year, group in periods(series.chains).items():
            series.conflicts.extend(conflicts(year, group))
            series.estimates.append(best(year, group))
        out.append(series)
    return out
