"""Reconcile stored figures into series, echo chains, conflicts and best estimates.

Pure functions over figure records: no I/O, so the CLI, the web API and the batch
engine all reconcile the same way, and tests need no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tally.reconcile.chains import Chain, Mutation, chains
from tally.reconcile.entities import Entity, resolve, sources_match
from tally.reconcile.estimate import Conflict, Estimate, Series, best, conflicts, periods
from tally.reconcile.intervals import APPROX_TOLERANCE, NEARLY_TOLERANCE, Interval, interval
from tally.reconcile.parts import Overcount, overcount, wholes
from tally.reconcile.points import Point, SeriesKey, as_of, to_points
from tally.reconcile.reports import Report, report_dict, reports

if TYPE_CHECKING:  # the reconciler reads records; it needs no store (and its SQLAlchemy) to run
    from tally.store.records import StoredFigure

__all__ = [
    "APPROX_TOLERANCE",
    "NEARLY_TOLERANCE",
    "Chain",
    "Conflict",
    "Entity",
    "Estimate",
    "Interval",
    "Mutation",
    "Overcount",
    "Point",
    "Report",
    "Series",
    "SeriesKey",
    "as_of",
    "interval",
    "reconcile",
    "report_dict",
    "reports",
    "resolve",
    "sources_match",
]


def reconcile(figures: Iterable[StoredFigure]) -> list[Series]:
    """Every series the figures make, with chains, parts under wholes, conflicts and a
    best estimate per period.

    Echo chains are traced over all points at once (a retelling may word the status
    differently); each chain then sits in the series of its origin statement.
    """
    points = to_points(figures)
    whole_of = wholes(points)
    by_key: dict[SeriesKey, list[Chain]] = defaultdict(list)
    for c in chains(points):
        by_key[c.origin.key].append(c)
    parts_of: dict[int, list[Point]] = defaultdict(list)
    for p in points:
        if p.id in whole_of:
            parts_of[whole_of[p.id].id].append(p)
    out = []
    for key in sorted(by_key, key=SeriesKey.sort_key):
        series = Series(key, by_key[key])
        for c in series.chains:
            whole = whole_of.get(c.origin.id)
            if whole is not None and whole.key == key:
                series.part_chains.add(id(c))
            todo = list(c.points)
            while todo:  # parts, and parts of parts ("1,490" > "130 detained" > "68 men")
                p = todo.pop()
                if p.id in parts_of and p.id not in series.parts:
                    series.parts[p.id] = sorted(parts_of[p.id], key=lambda q: q.id)
                    todo.extend(series.parts[p.id])
                    flag = overcount(p, parts_of[p.id])
                    if flag is not None:
                        series.overcounts.append(flag)
        part_ids = frozenset(series.part_chains)
        for year, group in periods(series.chains).items():
            series.conflicts.extend(conflicts(year, group, part_ids))
            series.estimates.append(best(year, group, part_ids))
        out.append(series)
    return out
