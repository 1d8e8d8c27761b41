"""Series and figures as plain dicts (the JSON twin) and as text tables for the terminal.

The text is built from the same dicts as the JSON, so both always say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tally.reconcile.chains import Chain
from tally.reconcile.estimate import Series
from tally.reconcile.intervals import fmt_number
from tally.reconcile.points import Point

_HEDGE = {
    "approx": "about {v}",
    "nearly": "nearly {v}",
    "at_least": "at least {v}",
    "more_than": "more than {v}",
    "at_most": "up to {v}",
    "less_than": "fewer than {v}",
}
_SPACES = re.compile(r"(?<=\S)\s+")  # runs of space inside a cell; leading indent kept
# Cells longer than this are cut in text tables (the JSON keeps them whole).
MAX_CELL = 48


def figure_text(qualifier: str, value: float | None, low: float | None, high: float | None) -> str:
    """A figure as a reader would say it: 'about 170', '2,000–2,500', 'at least 24'."""
    if qualifier == "range" and low is not None and high is not None:
        return f"{fmt_number(low)}–{fmt_number(high)}"
    if qualifier in ("range", "vague"):
        return (
            f"at least {fmt_number(low)}"
            if low is not None
            else (fmt_number(value) if value is not None else "?")
        )
    v = value if value is not None else low
    if v is None:
        return "?"
    return _HEDGE.get(qualifier, "{v}").format(v=fmt_number(v))


def point_dict(p: Point) -> dict[str, Any]:
    return {
        "figure_id": p.id,
        "figure": figure_text(p.qualifier, p.value, p.low, p.high),
        "value": p.value,
        "low": p.low,
        "high": p.high,
        "qualifier": p.qualifier,
        "span": p.span,
        "interval": str(p.interval),
        "as_of": p.as_of,
        "source": p.source,
        "outlet": p.outlet,
        "published": p.published,
        "doc": p.doc,
        "document": p.document,
        "story": p.story,
        "quote": p.quote,
        "population": p.key.population,
        "part_of": p.part_of,
        "entity": p.entity.id if p.entity else None,
        "entity_name": p.entity.name if p.entity else None,
        "lang": p.lang,
    }


def part_dict(p: Point, whole: Point) -> dict[str, Any]:
    """A part as shown under its whole: what it counts, and the whole's figure id."""
    return {
        **point_dict(p),
        "whole_id": whole.id,
        "status": p.key.status,
        "role": p.key.role,
        "scope": p.key.scope,
        "series": p.key.label(),
    }


def _chain_dict(n: int, c: Chain, s: Series) -> dict[str, Any]:
    return {
        "chain": n,
        "part": s.is_part(c),
        "origin": point_dict(c.origin),
        "echoes": [point_dict(e) for e in c.echoes],
        "mutations": [{"figure_id": m.point.id, "kind": m.kind, "detail": m.detail} for m in c.mutations],
        "rewordings": [{"figure_id": m.point.id, "kind": m.kind, "detail": m.detail} for m in c.rewordings],
        "parts": [{**part_dict(q, w), "depth": d} for p in c.points for q, w, d in s.parts_under(p)],
    }


def series_dict(s: Series) -> dict[str, Any]:
    """One series as JSON-ready data: chains with echoes and mutations, conflicts, estimates."""
    number = {id(c): n for n, c in enumerate(s.chains, 1)}
    return {
        "origin": s.key.origin,
        "status": s.key.status,
        "role": s.key.role,
        "scope": s.key.scope,
        "population": s.key.population,
        "label": s.key.label(),
        "points": s.points,
        "independent": len(s.chains),
        "chains": [_chain_dict(number[id(c)], c, s) for c in s.chains],
        "overcounts": [
            {"whole_id": o.whole.id, "parts": [p.id for p in o.parts], "total": o.total, "detail": o.detail()}
            for o in s.overcounts
        ],
        "conflicts": [
            {
                "year": k.year,
                "a": number[id(k.a)],
                "b": number[id(k.b)],
                "detail": f"{_brief(k.a.origin)} vs {_brief(k.b.origin)}",
            }
            for k in s.conflicts
        ],
        "estimates": [
            {
                "year": e.year,
                "chain": number[id(e.chain)],
                "figure": figure_text(
                    e.chain.origin.qualifier, e.chain.origin.value, e.chain.origin.low, e.chain.origin.high
                ),
                "interval": str(e.chain.origin.interval),
                "source": e.chain.origin.source,
                "rule": e.rule,
                "support": e.support,
                "chains": e.chains,
            }
            for e in s.estimates
        ],
    }


def _brief(p: Point) -> str:
    who = p.source or p.outlet or p.doc
    return f"{figure_text(p.qualifier, p.value, p.low, p.high)} {p.interval} ({who}, {p.doc})"


def _cut(value: Any, width: int = MAX_CELL) -> str:
    text = "" if value is None else _SPACES.sub(" ", str(value).rstrip())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned text table; long cells are cut with an ellipsis."""
    cells = [[_cut(h) for h in headers], *[[_cut(v) for v in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def part_label(p: dict[str, Any], whole_status: str) -> str:
    """What a part counts, said as briefly as the table allows: '68 men', '500 killed'."""
    words = [p["figure"]]
    if p["population"] != "all":
        words.append(p["population"])
    if p["status"] != whole_status:
        words.append(p["status"])
    return " ".join(words)


def series_text(d: dict[str, Any]) -> str:
    """One series dict as a titled table: each chain's origin, its echoes and its parts
    under it, then mutation flags, over-counting parts, conflicts and the best estimate
    per period."""
    rows = []
    flags: dict[int, list[str]] = {}
    for ch in d["chains"]:
        for m in [*ch["mutations"], *ch.get("rewordings", [])]:
            flags.setdefault(m["figure_id"], []).append(m["kind"])
        for role, p in [("origin", ch["origin"]), *[("echo", e) for e in ch["echoes"]]]:
            if role == "origin":
                mark = f"#{ch['chain']}" + (" (part)" if ch.get("part") else "")
            else:
                mark = f"  └ echo of #{ch['chain']}"
            flag = ",".join(flags.get(p["figure_id"], []))
            rows.append(
                [mark, p["as_of"], p["figure"], p["source"], p["outlet"], p["doc"], flag and f"! {flag}"]
            )
        for q in ch.get("parts", []):
            rows.append(
                [
                    "  " * q.get("depth", 1) + f"├ part of #{ch['chain']}",
                    q["as_of"],
                    part_label(q, d["status"]),
                    q["source"],
                    q["outlet"],
                    q["doc"],
                    "",
                ]
            )
    title = f"{d['label']}: {d['points']} points, {d['independent']} independent" + (
        f", {len(d['conflicts'])} conflict(s)" if d["conflicts"] else ""
    )
    out = [title, table(["chain", "as of", "figure", "source", "outlet", "doc", "mutations"], rows)]
    for o in d.get("overcounts", []):
        out.append(f"! over-counting parts: {o['detail']}")
    for k in d["conflicts"]:
        out.append(f"conflict {k['year'] or 'undated'}: #{k['a']} vs #{k['b']}: {k['detail']}")
    for e in d["estimates"]:
        agree = f", {e['support'] + 1} of {e['chains']} agree" if e["chains"] > 1 else ""
        out.append(
            f"best {e['year'] or 'undated'}: {e['figure']} (#{e['chain']}, {e['source'] or 'unattributed'})"
            f" by {e['rule']}{agree}"
        )
    return "\n".join(out)
