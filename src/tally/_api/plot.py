"""`Series.plot()`: one series as a figure a researcher can put in a paper (matplotlib).

What is drawn is the reconciler's account, nothing more: each independent statement at
the date it speaks for, with what its hedge allows; its echoes joined to it; conflicts
in red; the best estimate of each year. Statements with no date cannot be placed and
are counted in the caption instead.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tally._api.records import require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tally._api.series import Estimate, Point, Series

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# Longest source label beside a marker, in characters; longer ones are cut with an ellipsis.
LABEL_CHARS = 36
# How far above the highest bound an open-topped bar reaches, as a share of that bound.
OPEN_TOP = 0.12
# Room on the time axis either side of the first and last statement, for their labels.
MARGIN = timedelta(days=240)
COLOUR = "#1f4e79"
CONFLICT = "#c0392b"
ECHO = "#7f8c8d"
BEST = "#e67e22"


def when(as_of: str | None) -> date | None:
    """Where a statement sits on the time axis: a bare year at mid-year, a month at mid-month."""
    m = _DATE.match(as_of or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        return date(year, int(month or 7), int(day or (15 if month else 1)))
    except ValueError:
        return None


def height(p: Point | Estimate) -> float:
    """Where a statement's marker sits: its number, else the middle of its bounds, else its floor."""
    if p.value is not None:
        return float(p.value)
    if p.interval_high is not None:
        return (p.interval_low + p.interval_high) / 2
    return float(p.interval_low)


def country(code: str | None) -> str:
    """'France' for 'FR'; the code itself when pycountry does not know it."""
    if not code:
        return "origin unknown"
    if code.upper() == "XK":
        return "Kosovo"
    import pycountry

    found = pycountry.countries.get(alpha_2=code.upper())
    return str(getattr(found, "common_name", None) or getattr(found, "name", None) or code)


def _label(p: Point) -> str:
    who = p.source or (f"unattributed, {p.outlet}" if p.outlet else "unattributed")
    return who if len(who) <= LABEL_CHARS else who[: LABEL_CHARS - 1] + "…"


def draw(series: Series, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Draw `series` on `ax` (a new figure when None) and return the Axes."""
    require("matplotlib")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if ax is None:
        _fig, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")

    def x_of(as_of: str | None) -> float | None:
        d = when(as_of)
        return None if d is None else float(mdates.date2num(d))

    placed = [c for c in series.chains if when(c.origin.as_of) is not None]
    undated = len(series.chains) - len(placed)
    tops = [p.interval_high or p.interval_low for c in placed for p in c.points]
    ceiling = max(tops, default=1.0) * (1 + OPEN_TOP)
    seen: set[str] = set()
    key: list[str] = []  # one line per drawn statement: its number, figure and source

    def legend(name: str) -> str:
        # Each kind of mark is named once in the legend.
        if name in seen:
            return "_nolegend_"
        seen.add(name)
        return name

    for c in placed:
        o = c.origin
        x, y = x_of(o.as_of) or 0.0, height(o)
        colour = CONFLICT if o.conflict else COLOUR
        for e in c.echoes:
            ex = x_of(e.as_of) or x
            ax.plot([x, ex], [y, height(e)], ls=":", lw=1, color=ECHO, zorder=1)
            ax.plot(
                [ex],
                [height(e)],
                "o",
                mfc="white",
                mec=ECHO,
                ms=6,
                zorder=2,
                label=legend("echo of a report"),
            )
        top = o.interval_high if o.interval_high is not None else ceiling
        ax.vlines(x, o.interval_low, top, color=colour, lw=2, alpha=0.6, zorder=2)
        if o.interval_high is None:
            ax.plot([x], [top], "^", color=colour, ms=6, zorder=2)
        name = "statement in conflict" if o.conflict else "independent statement"
        ax.plot([x], [y], "o", color=colour, ms=8, zorder=3, label=legend(name))
        ax.annotate(f"#{c.number}", (x, y), xytext=(6, 4), textcoords="offset points", fontsize=8)
        echoed = f" (+{len(c.echoes)} echo{'es' if len(c.echoes) > 1 else ''})" if c.echoes else ""
        key.append(f"#{c.number}  {o.figure} · {_label(o)}{echoed}")

    best = sorted(
        ((bx, height(e)) for e in series.estimates if (bx := x_of(e.as_of)) is not None),
    )
    if best:
        xs, ys = [b[0] for b in best], [b[1] for b in best]
        ax.plot(xs, ys, "--", color=BEST, lw=1.2, zorder=2)
        ax.plot(xs, ys, "*", color=BEST, ms=15, mec="black", mew=0.5, zorder=4, label="best estimate")

    ax.set_title(title or _title(series), fontsize=11, loc="left")
    ax.set_ylabel("people")
    ax.set_ylim(bottom=0, top=ceiling * 1.08)
    dates = [d for c in placed for p in c.points if (d := when(p.as_of)) is not None]
    if dates:
        ax.set_xlim(float(mdates.date2num(min(dates) - MARGIN)), float(mdates.date2num(max(dates) + MARGIN)))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if placed:
        marks = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        ax.add_artist(marks)
        blank = [Line2D([], [], ls="", marker="") for _ in key]
        ax.legend(
            blank,
            key,
            loc="lower left",
            bbox_to_anchor=(1.01, 0.0),
            fontsize=8,
            frameon=False,
            handlelength=0,
            handletextpad=0,
            title="statements (source)",
            title_fontsize=8,
            alignment="left",
        )
    ax.set_xlabel(_caption(series, undated), fontsize=7, color="#555555", loc="left")
    return ax


def _title(series: Series) -> str:
    parts = [country(series.origin), series.status, series.role, series.scope or "scope unknown"]
    return " · ".join(parts)


def _caption(series: Series, undated: int) -> str:
    lines = [
        "Placed at the date each figure speaks for. Bars: what its hedge allows (arrow: no upper"
        " bound). Dotted: restatements."
    ]
    rules = [f"{e.year or 'undated'}: {e.figure} ({e.rule})" for e in series.estimates]
    if rules:
        lines.append("Best estimate by year: " + "; ".join(rules) + ".")
    if undated:
        lines.append(f"{undated} undated statement(s) not drawn.")
    return "\n".join(lines)
