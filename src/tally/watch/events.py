"""What changed in the reconciled ledger since the watcher last looked: `changes(marks, series)`.

A pure function. The marks are what the watcher saw last time (every point with the
report it belongs to, every conflict, the best estimate of each series and year); the
events are the difference, and the new marks come back with them so the store can
write both in one transaction: a change is alerted once, and never lost to a crash.

The events, per series:

- `new_report`: a new independent statement (an echo chain none of whose points was
  known): a figure no stored report gave before. Its echoes arriving with it are counted
  in it, not alerted apart.
- `new_point`: a new figure that restates a known report (a new echo of it).
- `conflict`: two independent statements for one series and year that cannot both be
  true, and were not known to conflict.
- `best_changed`: the best estimate of a series and year is now another report.

Reports are told apart by identities kept in the marks, not recomputed from the text:
once a point is known with a report, a later echo that becomes the chain's origin (an
older article read late) does not make the report look new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tally.reconcile import Point, Series
from tally.reconcile.chains import Chain
from tally.reconcile.report import point_dict

NEW_POINT, NEW_REPORT, CONFLICT, BEST_CHANGED = "new_point", "new_report", "conflict", "best_changed"


@dataclass(slots=True)
class Marks:
    """What the watcher has seen: point key -> report key, conflict keys, and per series and
    year the best estimate's report with its origin point (as `point_dict` gives it)."""

    points: dict[str, str] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)
    best: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Event:
    """One change. `point` is the figure it is about: the new point, the new report's origin,
    the new side of a conflict, the new best estimate's origin. `other` is the conflict's
    other side or the report a new point echoes; `before` the previous best estimate."""

    kind: str
    series: Series
    year: int | None
    point: Point
    other: Point | None = None
    before: dict[str, Any] | None = None
    rule: str | None = None
    echoes: int = 0


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def point_key(p: Point) -> str:
    """A figure's identity that survives re-extraction: where it is said, and what it says."""
    numbers = sorted(p.numbers())
    return _hash(p.document, p.key.label(), p.span, p.quote, numbers)


def _best_key(s: Series, year: int | None) -> str:
    return _hash(s.key.label(), year)


def _conflict_key(s: Series, year: int | None, a: str, b: str) -> str:
    return _hash(s.key.label(), year, *sorted((a, b)))


def changes(before: Marks, series: list[Series]) -> tuple[list[Event], Marks]:
    """The events since `before`, and the marks of the ledger as it is now."""
    after = Marks()
    events: list[Event] = []
    known_reports = set(before.points.values())
    for s in series:
        report_of: dict[int, str] = {}  # id(chain) -> report key
        for chain in s.chains:
            keys = [point_key(p) for p in chain.points]
            known = [before.points[k] for k in keys if k in before.points]
            rk = known[0] if known else _hash("report", s.key.label(), chain.origin.year, keys[0])
            report_of[id(chain)] = rk
            after.points.update(dict.fromkeys(keys, rk))
            if not known:
                events.append(Event(NEW_REPORT, s, chain.origin.year, chain.origin, echoes=len(chain.echoes)))
                continue
            # What a new point restates: the report as first known (an older echo read late
            # becomes the chain's origin, but it restates the report, not itself).
            told = next(p for p, k in zip(chain.points, keys, strict=True) if k in before.points)
            for p, k in zip(chain.points, keys, strict=True):
                if k not in before.points:
                    events.append(Event(NEW_POINT, s, chain.origin.year, p, other=told))
        for c in s.conflicts:
            a, b = report_of[id(c.a)], report_of[id(c.b)]
            key = _conflict_key(s, c.year, a, b)
            after.conflicts.add(key)
            if key in before.conflicts:
                continue
            new, old = _new_side(c.a, c.b, a in known_reports, b in known_reports)
            events.append(Event(CONFLICT, s, c.year, new.origin, other=old.origin))
        for e in s.estimates:
            key = _best_key(s, e.year)
            now = {"report": report_of[id(e.chain)], "rule": e.rule, "point": point_dict(e.chain.origin)}
            after.best[key] = now
            was = before.best.get(key)
            if was is not None and was["report"] != now["report"]:
                events.append(
                    Event(BEST_CHANGED, s, e.year, e.chain.origin, before=was["point"], rule=e.rule)
                )
    return events, after


def _new_side(a: Chain, b: Chain, a_known: bool, b_known: bool) -> tuple[Chain, Chain]:
    """(the statement that makes the conflict new, the one it contradicts)."""
    if a_known != b_known:
        return (b, a) if a_known else (a, b)
    return (a, b) if (a.origin.published or "") > (b.origin.published or "") else (b, a)
