"""Reports: what one source entity said at one time, and how far outlets carried it.

A report is a source entity and a date window: the chains whose origin speaks for the
entity (its own attribution, or the speaker read from the report its article restates,
`speakers`) and whose origin was published within REPORT_WINDOW_DAYS of the report's
first statement. Each of its figures shows the outlets that restated it, in which
languages, and the mutations they made, judged against the report's own statement.

Reports are computed when read, from the stored figures, like the chains they group.
An echo link written into the store at ingest (`echo_of`) would go stale: a document
ingested later may hold an earlier statement of the report, which then becomes the
origin, and every link and mutation must be judged against it anew.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tally.reconcile.chains import Chain, day
from tally.reconcile.entities import Entity, sources_match
from tally.reconcile.estimate import Series
from tally.reconcile.report import figure_text, table

__all__ = ["REPORT_WINDOW_DAYS", "Report", "report_dict", "reports", "reports_text"]

# Statements of one entity published within this many days of its first are one report
# (a release and the interviews around it); later ones start another report.
REPORT_WINDOW_DAYS = 31


@dataclass(slots=True)
class Report:
    """One entity's statements of one time, each with its series and echo chain."""

    entity: Entity
    first: str | None  # the earliest publication of its statements
    figures: list[tuple[Series, Chain]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable within a ledger: the entity's id and the report's first date."""
        return f"{self.entity.id}@{self.first or 'undated'}"

    @property
    def last(self) -> str | None:
        dates = [c.origin.published for _s, c in self.figures if c.origin.published]
        return max(dates) if dates else None


def reports(series: Iterable[Series]) -> list[Report]:
    """The reports the series' chains make: per entity, chains grouped by the window of
    their origins' publication (undated origins form one report of their own)."""
    by_entity: dict[str, list[tuple[Series, Chain]]] = defaultdict(list)
    entities: dict[str, Entity] = {}
    for s in series:
        for c in s.chains:
            e = c.speaker
            if e is None or not e.attributed:
                continue
            if e is c.origin.entity and sources_match(c.origin.source, c.origin.outlet):
                continue  # an outlet citing itself ("Atalayar (EFE)" in Atalayar) reports nothing
            by_entity[e.id].append((s, c))
            entities[e.id] = e
    out: list[Report] = []
    for eid, found in by_entity.items():
        found.sort(key=lambda sc: sc[1].origin.order())
        current: Report | None = None
        start: int | None = None
        for s, c in found:
            d = day(c.origin.published)
            new = current is None or (d is None) != (start is None)
            if not new and d is not None and start is not None:
                new = d - start > REPORT_WINDOW_DAYS
            if new:
                current = Report(entities[eid], c.origin.published)
                start = d
                out.append(current)
            assert current is not None
            current.figures.append((s, c))
    return sorted(out, key=lambda r: (r.entity.name.casefold(), r.first or "~"))


def _outlets(c: Chain) -> list[str]:
    """The outlets that restated the chain's statement (the origin's own outlet aside)."""
    said = c.origin.outlet
    return sorted({e.outlet for e in c.echoes if e.outlet and e.outlet != said})


def _figure_dict(s: Series, c: Chain) -> dict[str, Any]:
    o = c.origin
    lang = {p.id: p.lang for p in c.points}
    outlet = {p.id: p.outlet for p in c.points}
    return {
        "series": s.key.label(),
        "origin": s.key.origin,
        "status": s.key.status,
        "role": s.key.role,
        "scope": s.key.scope,
        "population": s.key.population,
        "part": s.is_part(c),
        "figure_id": o.id,
        "figure": figure_text(o.qualifier, o.value, o.low, o.high),
        "as_of": o.as_of,
        "source": o.source,
        "outlet": o.outlet,
        "published": o.published,
        "doc": o.doc,
        "document": o.document,
        "lang": o.lang,
        "quote": o.quote,
        "restated_by": _outlets(c),
        "echoes": [
            {
                "figure_id": e.id,
                "figure": figure_text(e.qualifier, e.value, e.low, e.high),
                "source": e.source,
                "outlet": e.outlet,
                "published": e.published,
                "doc": e.doc,
                "document": e.document,
                "lang": e.lang,
                "quote": e.quote,
            }
            for e in c.echoes
        ],
        "languages": sorted({p.lang for p in c.points if p.lang}),
        "mutations": [
            {
                "figure_id": m.point.id,
                "kind": m.kind,
                "detail": m.detail,
                "outlet": outlet.get(m.point.id),
                "lang": lang.get(m.point.id),
            }
            for m in [*c.mutations, *c.rewordings]
        ],
    }


def report_dict(r: Report) -> dict[str, Any]:
    """One report as JSON-ready data: its entity and dates, its figures with the outlets
    and languages that restated each and the mutations they made."""
    figures = [_figure_dict(s, c) for s, c in r.figures]
    restated = sorted({o for f in figures for o in f["restated_by"]})
    return {
        "id": r.id,
        "entity": r.entity.id,
        "entity_name": r.entity.name,
        "kind": r.entity.kind,
        "first": r.first,
        "last": r.last,
        "figures": figures,
        "documents": len(
            {f["document"] for f in figures} | {e["document"] for f in figures for e in f["echoes"]}
        ),
        "restated_by": restated,
        "languages": sorted({lang for f in figures for lang in f["languages"]}),
        "mutations": dict(
            Counter(m["kind"] for f in figures for m in f["mutations"] if m["kind"] != "source")
        ),
    }


def reports_text(rows: list[dict[str, Any]]) -> str:
    """Reports as the terminal shows them: a title line each, then its figures with the
    outlets that restated them, their languages and the mutations made."""
    out = []
    for r in rows:
        out.append(
            f"{r['entity_name']} · {r['first'] or 'undated'}: {len(r['figures'])} figure(s), restated by"
            f" {len(r['restated_by'])} outlet(s)"
            + (f" in {', '.join(r['languages'])}" if r["languages"] else "")
        )
        body = []
        for f in r["figures"]:
            kinds = Counter(m["kind"] for m in f["mutations"])
            flags = ", ".join(f"{k}×{n}" if n > 1 else k for k, n in sorted(kinds.items()))
            body.append(
                [
                    f["figure"] + (" (part)" if f["part"] else ""),
                    f["series"],
                    f["outlet"] or f["doc"],
                    len(f["restated_by"]),
                    ",".join(f["languages"]),
                    flags,
                ]
            )
        out.append(table(["figure", "series", "said in", "outlets", "languages", "mutations"], body))
    return "\n\n".join(out)
