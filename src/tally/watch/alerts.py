"""An event as the alert every channel sends (standard output, webhooks, the Atom feed, the
What's new page), and which subscriptions take it.

An alert says what changed in one sentence (`text`), links to its series on the
dashboard (`series.url`) and to the figure in its document, and quotes the sentence the
figure was read from (`figure.quote`). The JSON is the contract with webhook receivers:
fields are added, never renamed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tally.reconcile import Point
from tally.reconcile.report import figure_text, point_dict
from tally.store import StoredFigure
from tally.watch.config import Subscription
from tally.watch.events import BEST_CHANGED, CONFLICT, NEW_POINT, NEW_REPORT, Event
from tally.web.present import country_name, document_path, series_path

Figures = Mapping[int, StoredFigure]


def matches(sub: Subscription, event: Event, figures: Figures) -> bool:
    """Whether a subscription takes an event: its kind, and any figure of it passing every
    filter. `figures` (by id) give what points do not carry: population, article URL."""
    if event.kind not in sub.events:
        return False
    key = event.series.key
    if sub.origin is not None and (key.origin or "") not in sub.origin:
        return False
    if sub.status is not None and key.status not in sub.status:
        return False
    points = [event.point] + ([event.other] if event.other is not None else [])
    return any(_figure_passes(sub, p, _population(p.id, figures)) for p in points)


def _population(figure_id: int, figures: Figures) -> str:
    sf = figures.get(figure_id)
    return sf.figure.population if sf is not None else "all"


def _figure_passes(sub: Subscription, p: Point, population: str) -> bool:
    if sub.population is not None and population not in sub.population:
        return False
    return sub.source is None or sub.source.casefold() in (p.source or "").casefold()


def alert(event: Event, *, dashboard: str, figures: Figures, subscriptions: list[str]) -> dict[str, Any]:
    """The alert for an event, without its id and time (the store gives those)."""
    key = event.series.key
    href = series_path(key)
    figure = _figure(point_dict(event.point), dashboard, figures)
    body: dict[str, Any] = {
        "event": event.kind,
        "text": _text(event),
        "series": {
            "label": key.label(),
            "origin": key.origin,
            "country": country_name(key.origin),
            "status": key.status,
            "role": key.role,
            "scope": key.scope,
            "year": event.year,
            "href": href,
            "url": dashboard + href,
        },
        "figure": figure,
    }
    # Every alert has every field (null where it does not apply): one shape for receivers.
    body.update(echoes=None, echo_of=None, against=None, before=None, rule=None)
    if event.kind == NEW_REPORT:
        body["echoes"] = event.echoes
    elif event.kind == NEW_POINT and event.other is not None:
        body["echo_of"] = _figure(point_dict(event.other), dashboard, figures)
    elif event.kind == CONFLICT and event.other is not None:
        body["against"] = _figure(point_dict(event.other), dashboard, figures)
    elif event.kind == BEST_CHANGED and event.before is not None:
        body["before"] = _figure(event.before, dashboard, figures)
        body["rule"] = event.rule
    body["subscriptions"] = subscriptions
    return body


def _figure(d: dict[str, Any], dashboard: str, figures: Figures) -> dict[str, Any]:
    """A point (as `point_dict` gives it) as alerts show it: what it says, who says it, its
    sentence, and links to it on the dashboard and to the article it was read from."""
    href = document_path(d["document"], d["figure_id"])
    sf = figures.get(d["figure_id"])
    return {
        "figure": d["figure"],
        "interval": d["interval"],
        "as_of": d["as_of"],
        "source": d["source"],
        "outlet": d["outlet"],
        "published": d["published"],
        "quote": d["quote"],
        "figure_id": d["figure_id"],
        "document": d["document"],
        "population": sf.figure.population if sf is not None else None,
        "href": href,
        "url": dashboard + href,
        "article": sf.figure.url if sf is not None else None,
    }


def _said(p: Point | dict[str, Any]) -> str:
    if isinstance(p, dict):
        figure, who = p["figure"], p["source"] or p["outlet"] or p["doc"]
    else:
        figure, who = figure_text(p.qualifier, p.value, p.low, p.high), p.source or p.outlet or p.doc
    return f"{figure} ({who})"


def _text(e: Event) -> str:
    where = f"{e.series.key.label()}, {e.year if e.year is not None else 'undated'}"
    if e.kind == NEW_REPORT:
        echoes = f", repeated by {e.echoes} more" if e.echoes else ""
        return f"New report for {where}: {_said(e.point)}{echoes}"
    if e.kind == NEW_POINT:
        echo = f", restating {_said(e.other)}" if e.other is not None else ""
        return f"New figure for {where}: {_said(e.point)} in {e.point.outlet or e.point.doc}{echo}"
    if e.kind == CONFLICT:
        against = _said(e.other) if e.other is not None else "another report"
        return f"Conflict in {where}: {_said(e.point)} contradicts {against}"
    before = _said(e.before) if e.before is not None else "none"
    return f"Best estimate changed for {where}: {_said(e.point)}, was {before} (rule: {e.rule})"
