"""What `tally watch` found: the What's new page (HTML, JSON twin, CSV) and the alerts as an
Atom feed at /alerts.atom. Both read the alerts the watcher recorded in the store; the
server never fetches or alerts itself.

Alerts quote article text and carry article URLs: the template escapes every value and
article links pass `safe_href` (http(s) only), as on every other page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tally.store import Store
from tally.watch import atom
from tally.watch.config import EVENTS
from tally.watch.state import WatchState
from tally.web.page import DEFAULT_LIMIT, Page, Table, paging
from tally.web.present import safe_href
from tally.web.queries import MAX_LIMIT
from tally.web.render import respond
from tally.web.state import state

router = APIRouter(include_in_schema=False)

_SIDES = ("figure", "against", "echo_of", "before")


def _shown(alert: dict[str, Any]) -> dict[str, Any]:
    """An alert for a page: article links made safe for an href."""
    out = {"rule": None, **alert}
    for side in _SIDES:
        out.setdefault(side, None)
        if isinstance(out.get(side), dict):
            out[side] = {**out[side], "article": safe_href(out[side].get("article"))}
    return out


def whats_new(store: Store, *, limit: int, offset: int, event: str | None) -> Page:
    """The watcher's alerts, newest first, and how each watched source is doing."""
    watch = WatchState(store)
    alerts, total = watch.alerts(limit=limit, offset=offset, kind=event)
    sources = [
        {
            **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in s.as_dict().items()},
            "href": safe_href(s.source),
        }
        for s in watch.sources()
    ]
    for s in sources:
        for k in ("etag", "last_modified", "digest"):
            s.pop(k, None)
    data = {
        "filters": {"event": event},
        "events": list(EVENTS),
        "alerts": [_shown(a) for a in alerts],
        "sources": sources,
        "feed": "/alerts.atom",
        "page": paging(total, limit, offset, "/whats-new", {"event": event}),
    }
    tables = {
        "alerts": Table(
            (
                "id",
                "created",
                "event",
                "series",
                "year",
                "figure",
                "source",
                "outlet",
                "quote",
                "text",
                "href",
            ),
            lambda d: [
                {
                    "id": a["id"],
                    "created": a["created"],
                    "event": a["event"],
                    "series": a["series"]["label"],
                    "year": a["series"]["year"],
                    "figure": a["figure"]["figure"],
                    "source": a["figure"]["source"],
                    "outlet": a["figure"]["outlet"],
                    "quote": a["figure"]["quote"],
                    "text": a["text"],
                    "href": a["series"]["href"],
                }
                for a in d["alerts"]
            ],
        ),
        "sources": Table(("source", "checked", "ok", "failures", "next_try", "error")),
    }
    return Page("whats_new.html", "What's new", data, tables)


Event = Annotated[
    str | None, Query(pattern="^(" + "|".join(EVENTS) + ")?$", description="One kind of alert.")
]


def _whats_new(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Alerts per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Alerts to skip.")] = 0,
    event: Event = None,
) -> Response:
    view = whats_new(state(request).store, limit=limit, offset=offset, event=event or None)
    return respond(request, view)


def _alerts_atom(request: Request, event: Event = None) -> Response:
    alerts, _total = WatchState(state(request).store).alerts(limit=atom.FEED_ENTRIES, kind=event or None)
    body = atom.feed(alerts, str(request.base_url))
    return Response(body, media_type=f"{atom.MEDIA_TYPE}; charset=utf-8")


# The twins first, so '/whats-new.json' is never read as '/whats-new' with a suffix.
for _suffix in (".json", ".csv", ""):
    router.add_api_route(f"/whats-new{_suffix}", _whats_new, methods=["GET"], name=f"whats_new{_suffix}")
router.add_api_route("/alerts.atom", _alerts_atom, methods=["GET"], name="alerts_atom")
