"""Who speaks for a figure whose own sentence does not say: the report its article restates.

Extraction reads a figure's source from its sentence. News articles name a report once
and then give its figures bare ("73 sont partis, 59 en Syrie, 14 ailleurs") or through a
description ("the report", "the centre"), so most restated figures carry no attribution
or only a generic one. Two rules give such a figure a *speaker*, read at reconcile time
from the stored figures (nothing is stored: a document ingested later can change them):

- **co-support**: an article that gives at least REPORT_SUPPORT distinct numbers that one
  entity states in one other document about the same people (population, counted
  origin, a status of the same restatement group), no earlier than that statement and
  within the echo window, restates that entity's report. Its figures about that origin
  with no speaker of their own, and those credited to a name the entity data does not
  know ("der Nachrichtendienst weiter", "aus seiner Internet-Seite": most often the
  entity, described), speak for the entity. One small number ("14") proves nothing;
  three numbers of one report in one article do, while a later snapshot of the same
  agency, which keeps some numbers and updates the rest, rarely repeats three of them
  with their statuses (and its figures join only chains of the article they repeat);
- **anaphora**: a figure described only generically ("the report", "the estimates", "the
  centre") or credited to an outlet passing it on ("AP"), in an article whose
  attributed figures name one entity (an office and the offices above it count as
  one), speaks for that entity.

A speaker is evidence for tracing echoes only: the figure still shows its own source,
and an echo that dropped the attribution is still flagged for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from tally.reconcile.entities import CATEGORY_MEDIA, KIND_GENERIC, KIND_UNKNOWN, Entity, sources_match
from tally.reconcile.points import Point
from tally.reconcile.vocab import status_group, vague_statuses

__all__ = ["REPORT_SUPPORT", "Speaker", "speakers"]

# Distinct numbers an article must share with one entity's statements (same people) to
# be read as restating that entity's report.
REPORT_SUPPORT = 3


@dataclass(frozen=True, slots=True)
class Speaker:
    """The entity a figure speaks for and, when it was read from another article's
    statements (co-support), that article: such an echo joins only that report's chains.
    An anaphora names the entity as its own sentence would (`report` None)."""

    entity: Entity
    report: str | None


def _attributed(p: Point) -> bool:
    """Whether the figure names who made it: not generic, not an outlet, and not the very
    outlet that publishes it ("The Express Tribune" in The Express Tribune tells its own
    reading)."""
    return p.entity is not None and p.entity.attributed and not sources_match(p.source, p.outlet)


def _root(e: Entity) -> str:
    """The top office an entity reports to: the DGSI and the interior ministry are one voice."""
    return e.parents[-1] if e.parents else e.id


def _same_status(a: Point, b: Point) -> bool:
    return b.key.status in status_group(a.key.status) or bool({a.key.status, b.key.status} & vague_statuses())


# Attributed statements by who they count and the number they give: (population, origin, number).
_Index = dict[tuple[str, str, float], list[Point]]


# The largest number an entity states in one article about one origin: its report's headline.
_Headlines = dict[tuple[str, str, str], float]


def _supported(
    doc_points: list[Point], stated: _Index, in_window: Callable[[Point, Point], bool], headlines: _Headlines
) -> tuple[Entity, str, frozenset[str | None]] | None:
    """The entity whose statements in one other article this article repeats most (at
    least REPORT_SUPPORT distinct numbers about the same people), that article, and the
    origins repeated.

    Statements are taken one article at a time: a report is what an entity said at
    one time, and numbers gathered from several snapshots of one agency (73 in January,
    72 in March) are no report. The numbers repeated must include the statement's
    headline (the largest the entity gives there for that origin): a later snapshot
    repeats its own history and the breakdowns that did not move (40 in 2014, 71 in
    2015, 14 elsewhere) under a new total, and so restates no earlier report."""
    numbers: dict[tuple[str, str], set[float]] = defaultdict(set)
    origins: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    entity: dict[tuple[str, str], Entity] = {}
    for p in doc_points:
        if p.key.origin is None:
            continue
        for x in p.numbers():
            for q in stated.get((p.key.population, p.key.origin, x), ()):
                if q.document == p.document or not _same_status(q, p) or not in_window(q, p):
                    continue
                assert q.entity is not None
                key = (_root(q.entity), q.document)
                numbers[key].add(x)
                origins[key].add(p.key.origin)
                entity[key] = q.entity
    found = [
        (len(xs), key)
        for key, xs in numbers.items()
        if len(xs) >= REPORT_SUPPORT
        and any(headlines.get((key[0], key[1], o)) in xs for o in origins[key] if o is not None)
    ]
    if not found:
        return None
    _n, key = max(found)
    return entity[key], key[1], frozenset(origins[key])


def speakers(points: list[Point], in_window: Callable[[Point, Point], bool]) -> dict[int, Speaker]:
    """Who speaks for each figure without an attribution of its own, by figure id (see
    the module docstring); `in_window(statement, echo)` is the echo window."""
    by_doc: dict[str, list[Point]] = defaultdict(list)
    stated: _Index = defaultdict(list)
    headlines: _Headlines = {}
    for p in points:
        by_doc[p.document].append(p)
        if _attributed(p) and p.key.origin is not None:
            assert p.entity is not None
            for x in p.numbers():
                stated[p.key.population, p.key.origin, x].append(p)
            top = (_root(p.entity), p.document, p.key.origin)
            headlines[top] = max(headlines.get(top, 0.0), *p.numbers())
    out: dict[int, Speaker] = {}
    for group in by_doc.values():
        silent = [p for p in group if not _attributed(p)]
        unnamed = [p for p in group if p.entity is not None and p.entity.kind == KIND_UNKNOWN]
        found = _supported(group, stated, in_window, headlines) if silent or unnamed else None
        if found is not None:
            entity, report, origins = found
            out.update(
                {p.id: Speaker(entity, report) for p in [*silent, *unnamed] if p.key.origin in origins}
            )
        named = {_root(p.entity): p.entity for p in group if _attributed(p) and p.entity is not None}
        if len(named) == 1:
            (entity,) = named.values()
            for p in silent:
                if p.entity is not None and (
                    p.entity.kind == KIND_GENERIC or p.entity.category == CATEGORY_MEDIA
                ):
                    out.setdefault(p.id, Speaker(entity, None))
    return out
