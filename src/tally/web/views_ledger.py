"""The reconciled pages: overview (origins x statuses), the series list, one series with
its chart, and the sources with their echoes. Each view returns a `Page`.

The numbers are the reconciler's (`tally.reconcile`, as `tally series` prints them);
these views only choose what a cell shows and how a point is drawn.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from tally import ledger
from tally.reconcile import Series, sources_match
from tally.reconcile.estimate import Estimate
from tally.reconcile.report import figure_text, part_label, series_dict
from tally.store import Store
from tally.web.page import Page, Table
from tally.web.present import (
    chart_date,
    country_name,
    document_path,
    safe_href,
    series_path,
    status_rank,
    with_query,
)
from tally.web.queries import Ledger, LedgerCache
from tally.web.views_reports import report_hrefs, report_summaries

# Days of time axis shown before the first date and after the last, so that points of
# one date (a one-year series drawn at mid-year) do not zoom the axis to milliseconds.
CHART_PAD_DAYS = 183


class NotFound(LookupError):
    """The page names something the ledger does not hold (a series, a document, a run)."""


def _in_period(year: int | None, since: int | None, until: int | None) -> bool:
    if since is None and until is None:
        return True
    return year is not None and (since is None or year >= since) and (until is None or year <= until)


def _latest(estimates: list[Estimate]) -> Estimate:
    return max(estimates, key=lambda e: -1 if e.year is None else e.year)


def _series_summary(s: Series, estimates: list[Estimate], conflicts: int) -> dict[str, Any]:
    head = _latest(estimates) if estimates else None
    o = head.chain.origin if head else None
    return {
        "label": s.key.label(),
        "origin": s.key.origin,
        "country": country_name(s.key.origin),
        "status": s.key.status,
        "role": s.key.role,
        "scope": s.key.scope,
        "points": s.points,
        "independent": len(s.chains),
        "conflicts": conflicts,
        "year": head.year if head else None,
        "figure": figure_text(o.qualifier, o.value, o.low, o.high) if o else None,
        "source": o.source if o else None,
        "rule": head.rule if head else None,
        "href": series_path(s.key),
    }


def overview(
    cache: LedgerCache,
    *,
    group: str | None = None,
    role: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> Page:
    """Origins by statuses: each cell the latest best estimate of the period, the number of
    independent reports behind the cell, and a mark when any of them conflict."""
    full = cache.get()
    groups = sorted({f.figure.group for f in full.figures if f.figure.group}, key=str.casefold)
    if group and group.casefold() not in {g.casefold() for g in groups}:
        view = Ledger([], [])  # a group no figure names: nothing to reconcile, nothing to cache
    else:
        view = cache.get(group) if group else full
    cells: dict[tuple[str | None, str], list[tuple[Series, list[Estimate], int]]] = defaultdict(list)
    for s in view.series:
        if role and s.key.role != role:
            continue
        ests = [e for e in s.estimates if _in_period(e.year, since, until)]
        if not ests:
            continue
        conflicts = sum(1 for k in s.conflicts if _in_period(k.year, since, until))
        cells[(s.key.origin, s.key.status)].append((s, ests, conflicts))

    statuses = sorted({status for _o, status in cells}, key=status_rank)
    origins = sorted({o for o, _s in cells}, key=lambda o: (o is None, country_name(o)))
    rows = []
    for origin in origins:
        row_cells: list[dict[str, Any] | None] = []
        for status in statuses:
            found = cells.get((origin, status))
            row_cells.append(_cell(origin, status, found) if found else None)
        rows.append({"origin": origin, "country": country_name(origin), "cells": row_cells})

    figs = full.figures
    data = {
        "filters": {"group": group, "role": role, "since": since, "until": until},
        "options": {
            "groups": groups,
            "roles": sorted({f.figure.role for f in figs if f.figure.role}),
        },
        "statuses": statuses,
        "rows": rows,
        "totals": {"figures": len(view.figures), "series": len(view.series)},
    }
    columns = (
        "origin",
        "country",
        "status",
        "figure",
        "year",
        "interval",
        "source",
        "rule",
        "independent",
        "reports",
    )
    table = Table(
        (*columns, "conflicts", "series", "href"),
        lambda d: [c for r in d["rows"] for c in r["cells"] if c is not None],
    )
    return Page("overview.html", "Overview", data, {"cells": table})


def _cell(origin: str | None, status: str, found: list[tuple[Series, list[Estimate], int]]) -> dict[str, Any]:
    """The headline of one cell: the latest period's estimate, from the series with the most
    independent reports there (cumulative counts before current ones on a tie), with the
    independent reports of that period and of every period the filters keep."""

    def rank(item: tuple[Series, list[Estimate], int]) -> tuple[int, int, bool, int]:
        s, ests, _c = item
        e = _latest(ests)
        return (-1 if e.year is None else e.year, e.chains, s.key.scope == "cumulative", s.points)

    s, ests, _c = max(found, key=rank)
    e = _latest(ests)
    o = e.chain.origin
    return {
        "origin": origin,
        "country": country_name(origin),
        "status": status,
        "figure": figure_text(o.qualifier, o.value, o.low, o.high),
        "interval": str(o.interval),
        "year": e.year,
        "source": o.source,
        "rule": e.rule,
        "independent": e.chains,
        "reports": sum(len(x.chains) for x, _e, _c in found),
        "conflicts": sum(c for _s, _e, c in found),
        "series": len(found),
        "label": s.key.label(),
        "href": series_path(s.key),
        "more_href": with_query("/series", {"origin": origin or "_", "status": status})
        if len(found) > 1
        else None,
    }


def series_index(
    cache: LedgerCache,
    *,
    origin: str | None = None,
    status: str | None = None,
    role: str | None = None,
    scope: str | None = None,
) -> Page:
    """Every reconciled series, with its latest best estimate; filters narrow the list."""
    rows = []
    for s in cache.get().series:
        k = s.key
        if origin and (k.origin or "_") != origin.upper():
            continue
        if (
            (status and k.status != status)
            or (role and k.role != role)
            or (scope and (k.scope or "_") != scope)
        ):
            continue
        rows.append(_series_summary(s, s.estimates, len(s.conflicts)))
    data = {"filters": {"origin": origin, "status": status, "role": role, "scope": scope}, "series": rows}
    cols = ("label", "origin", "country", "status", "role", "scope", "points", "independent", "conflicts")
    return Page(
        "series_index.html", "Series", data, {"series": Table((*cols, "year", "figure", "source", "href"))}
    )


def series_page(
    cache: LedgerCache,
    origin: str | None,
    status: str,
    role: str,
    scope: str | None,
    population: str = "all",
) -> Page:
    """One series: its chains (origins with echoes and parts under them), conflicts,
    estimates, the points as a flat table, and the chart's data (one point per origin
    report, its parts beside it)."""
    led = cache.get()
    want = (origin, status, role, scope, population)
    found = next(
        (
            s
            for s in led.series
            if (s.key.origin, s.key.status, s.key.role, s.key.scope, s.key.population) == want
        ),
        None,
    )
    if found is None:
        raise NotFound("no such series in the ledger; the overview and /series list those there are")
    urls = {sf.id: sf.figure.url for sf in led.figures}
    data = series_dict(found)
    conflicted = {n for k in data["conflicts"] for n in (k["a"], k["b"])}
    flags: dict[int, list[str]] = defaultdict(list)
    for ch in data["chains"]:
        for m in ch["mutations"]:
            flags[m["figure_id"]].append(m["kind"])
    hrefs = report_hrefs(led.series)
    points = []
    for chain, ch in zip(found.chains, data["chains"], strict=True):
        ch["conflict"] = ch["chain"] in conflicted
        ch["report_href"] = hrefs.get(id(chain))
        for role_, p in [("origin", ch["origin"]), *[("echo", e) for e in ch["echoes"]]]:
            p["href"] = document_path(p["document"], p["figure_id"])
            p["url"] = safe_href(urls.get(p["figure_id"]))
            p["mutations"] = flags.get(p["figure_id"], [])
            points.append({"chain": ch["chain"], "role": role_, "conflict": ch["conflict"], **p})
        for q in ch["parts"]:
            q["href"] = document_path(q["document"], q["figure_id"])
            q["url"] = safe_href(urls.get(q["figure_id"]))
            q["label"] = part_label(q, found.key.status)
            points.append({"chain": ch["chain"], "role": "part", "conflict": False, "mutations": [], **q})
    data.update(
        country=country_name(origin),
        href=series_path(found.key),
        points_table=points,
        chart=_chart(data),
    )
    cols = ("chain", "role", "conflict", "as_of", "figure", "interval", "qualifier", "source", "outlet")
    tables = {
        "points": Table(
            (
                *cols,
                "published",
                "doc",
                "figure_id",
                "whole_id",
                "label",
                "quote",
                "url",
                "href",
                "mutations",
            ),
            lambda d: d["points_table"],
        ),
        "estimates": Table(("year", "chain", "figure", "interval", "source", "rule", "support", "chains")),
        "conflicts": Table(("year", "a", "b", "detail")),
    }
    return Page("series.html", found.key.label(), data, tables)


def _chart(data: dict[str, Any]) -> dict[str, Any]:
    """What the chart draws: one marker per chain origin at its as-of date, bars over its
    interval, an open top for 'at least'/'more than', conflicts apart, the parts of each
    whole beside it at the whole's date (marked as parts, never as competing reports),
    and the best estimate per year as a line. Undated chains cannot be placed and are
    counted instead. `range` pads the dates by CHART_PAD_DAYS each side, so a series
    whose points share one date still reads in months and years."""
    points: list[dict[str, Any]] = []
    drawn: set[int] = set()
    undated = 0
    # A statement that is a part of another drawn here is drawn once, as a part.
    part_ids = {q["figure_id"] for ch in data["chains"] for q in ch.get("parts", [])}
    for ch in data["chains"]:
        o = ch["origin"]
        x = chart_date(o["as_of"])
        lo, hi = _bounds(o)
        y = _height(o, lo, hi)
        if x is None or y is None:
            undated += 1
            continue
        drawn.add(o["figure_id"])
        points.append(
            {
                "x": x,
                "y": y,
                "low": lo,
                "high": hi,
                "qualifier": o["qualifier"],
                "figure": o["figure"],
                "interval": o["interval"],
                "as_of": o["as_of"],
                "source": o["source"],
                "outlet": o["outlet"],
                "doc": o["doc"],
                "chain": ch["chain"],
                "echoes": len(ch["echoes"]),
                "echo_outlets": sorted({e["outlet"] for e in ch["echoes"] if e["outlet"]}),
                "conflict": ch["conflict"],
                "part": bool(ch.get("part")) or o["figure_id"] in part_ids,
                "label": None,
                "href": o["href"],
            }
        )
        for q in ch.get("parts", []):
            lo, hi = _bounds(q)
            y = _height(q, lo, hi)
            if y is None or q["figure_id"] in drawn:
                continue
            drawn.add(q["figure_id"])
            points.append(
                {
                    "x": x,
                    "y": y,
                    "low": lo,
                    "high": hi,
                    "qualifier": q["qualifier"],
                    "figure": q["figure"],
                    "interval": q["interval"],
                    "as_of": o["as_of"],
                    "source": q["source"],
                    "outlet": q["outlet"],
                    "doc": q["doc"],
                    "chain": ch["chain"],
                    "echoes": 0,
                    "echo_outlets": [],
                    "conflict": False,
                    "part": True,
                    "label": q.get("label"),
                    "href": q["href"],
                }
            )
    best = []
    for e in data["estimates"]:
        chain = next(c for c in data["chains"] if c["chain"] == e["chain"])
        o = chain["origin"]
        lo, hi = _bounds(o)
        y = _height(o, lo, hi)
        x = chart_date(o["as_of"]) or (f"{e['year']}-07-01" if e["year"] is not None else None)
        if e["year"] is not None and y is not None and x is not None:
            best.append({"x": x, "y": y, "figure": e["figure"], "year": e["year"]})
    return {"points": points, "best": best, "undated": undated, "range": _date_range(points, best)}


def _date_range(points: list[dict[str, Any]], best: list[dict[str, Any]]) -> list[str] | None:
    """The time axis' ends: the first and last date, each padded by CHART_PAD_DAYS."""
    days = [date.fromisoformat(p["x"]) for p in [*points, *best]]
    if not days:
        return None
    pad = timedelta(days=CHART_PAD_DAYS)
    return [(min(days) - pad).isoformat(), (max(days) + pad).isoformat()]


def _height(p: dict[str, Any], lo: float | None, hi: float | None) -> float | None:
    """Where a point's marker sits: its number, else the middle of its bounds, else its floor."""
    if p["value"] is not None:
        return float(p["value"])
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    return lo


def _bounds(p: dict[str, Any]) -> tuple[float | None, float | None]:
    """A point's interval as numbers for the chart; an unbounded top is None."""
    lo = p["low"] if p["low"] is not None else p["value"]
    hi = p["high"] if p["high"] is not None else p["value"]
    if p["qualifier"] in ("at_least", "more_than", "vague") and p["high"] is None:
        hi = None
    elif p["qualifier"] in ("at_most", "less_than"):
        lo = 0
    elif p["qualifier"] in ("approx", "nearly") and p["value"] is not None:
        lo, hi = p["value"] * 0.9, p["value"] * (1.1 if p["qualifier"] == "approx" else 1.0)
    if isinstance(hi, float) and math.isinf(hi):
        hi = None
    return lo, hi


def sources_page(
    store: Store, cache: LedgerCache, *, source: str | None = None, origin: str | None = None
) -> Page:
    """Who the figures are attributed to (spellings merged), and every origin report with
    the echoes that repeat it; `source` keeps the reports of one attributed source."""
    summary = ledger.sources(store)
    for row in summary:
        row["href"] = with_query("/sources", {"source": row["source"]}) if row["source"] else None
    reports: list[dict[str, Any]] = []
    hrefs = report_hrefs(cache.get().series)
    for s in cache.get().series:
        if origin and (s.key.origin or "_") != origin.upper():
            continue
        for ch in s.chains:
            o = ch.origin
            if source and not sources_match(source, o.source):
                continue
            report: dict[str, Any] = {
                "report_href": hrefs.get(id(ch)),
                "series": s.key.label(),
                "series_href": series_path(s.key),
                "figure": figure_text(o.qualifier, o.value, o.low, o.high),
                "as_of": o.as_of,
                "source": o.source,
                "outlet": o.outlet,
                "doc": o.doc,
                "href": document_path(o.document, o.id),
                "echoes": [
                    {
                        "figure": figure_text(e.qualifier, e.value, e.low, e.high),
                        "as_of": e.as_of,
                        "source": e.source,
                        "outlet": e.outlet,
                        "doc": e.doc,
                        "href": document_path(e.document, e.id),
                    }
                    for e in ch.echoes
                ],
                "mutations": sorted({m.kind for m in ch.mutations}),
            }
            reports.append(report)
    reports.sort(key=lambda r: (-len(r["echoes"]), r["series"], r["as_of"] or ""))
    series = [s for s in cache.get().series if not origin or (s.key.origin or "_") == origin.upper()]
    by_entity = [
        r
        for r in report_summaries(series)
        if not source or any(sources_match(source, x) for x in (r["entity_name"], r["entity"]))
    ]
    data = {
        "filters": {"source": source, "origin": origin},
        "sources": summary,
        "entity_reports": by_entity,
        "reports": reports,
    }
    tables = {
        "sources": Table(
            ("source", "figures", "documents", "stories", "outlets", "first", "last", "spellings")
        ),
        "entity_reports": Table(
            ("id", "entity_name", "first", "last", "figures", "outlets", "languages", "mutations", "href")
        ),
        "reports": Table(
            ("series", "figure", "as_of", "source", "outlet", "doc", "href", "echo_count", "echo_outlets"),
            lambda d: [
                {
                    **r,
                    "echo_count": len(r["echoes"]),
                    "echo_outlets": sorted({e["outlet"] for e in r["echoes"] if e["outlet"]}),
                }
                for r in d["reports"]
            ],
        ),
    }
    return Page("sources.html", "Sources", data, tables)
