"""Small presentation helpers shared by the pages and the API: names, URLs, dates.

Everything here turns ledger values into what a reader sees or a link points at;
none of it decides anything about the figures, so the JSON twin and the HTML page
stay two renderings of one dict.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from tally.reconcile.points import SeriesKey

# A path segment that stands for "not known" (an origin or scope the text did not give).
NONE_SLUG = "_"
# Statuses in the order the extractor ranks them; the overview's columns follow it,
# with the arrival statuses first, since a reader starts from how many left.
_LEAD_STATUSES = ("joined", "present", "returned", "killed", "missing", "detained", "convicted")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@cache
def status_order() -> tuple[str, ...]:
    """Every status the extractor knows, in the order the overview shows them."""
    raw = files("tally.extract").joinpath("data/en/status.json").read_text(encoding="utf-8")
    known = list(json.loads(raw).get("order", []))
    return tuple(dict.fromkeys([s for s in _LEAD_STATUSES if s in known] + known))


def status_rank(status: str) -> tuple[int, str]:
    order = status_order()
    return (order.index(status), status) if status in order else (len(order), status)


@cache
def country_name(code: str | None) -> str:
    """'France' for 'FR'; the code itself when pycountry does not know it (Kosovo, XK)."""
    if not code:
        return "origin unknown"
    import pycountry

    if code.upper() == "XK":
        return "Kosovo"
    found = pycountry.countries.get(alpha_2=code.upper())
    return getattr(found, "common_name", None) or getattr(found, "name", None) or code


def slug(value: str | None) -> str:
    return NONE_SLUG if value in (None, "") else str(value)


def unslug(value: str) -> str | None:
    return None if value == NONE_SLUG else value


def series_path(key: SeriesKey | dict[str, Any]) -> str:
    """The series page's path: /series/FR/returned/militants/cumulative ('_' for unknown),
    with `?population=men` for a series of one population (all people need none)."""
    if isinstance(key, dict):
        parts = [key.get("origin"), key.get("status"), key.get("role"), key.get("scope")]
        population = key.get("population") or "all"
    else:
        parts = [key.origin, key.status, key.role, key.scope]
        population = key.population
    path = "/series/" + "/".join(quote(slug(p), safe="") for p in parts)
    return path if population == "all" else with_query(path, {"population": population})


def document_path(document: str, figure: int | None = None) -> str:
    """The document page, opened on one figure when given (highlighted and scrolled to)."""
    base = f"/documents/{quote(document, safe='')}"
    return f"{base}?figure={figure}#fig-{figure}" if figure is not None else base


def with_query(path: str, params: dict[str, Any]) -> str:
    """`path` with the non-empty `params` as a query string."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def safe_href(url: str | None) -> str | None:
    """A URL fit for an href: http(s) only. Article metadata is untrusted, and escaping
    does not stop a `javascript:` URL from running when clicked."""
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def chart_date(as_of: str | None) -> str | None:
    """Where a point sits on a time axis: a bare year at mid-year, a month at mid-month."""
    if not as_of:
        return None
    m = _DATE.match(as_of)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return f"{year}-07-01"
    return f"{year}-{month}-{day or '15'}"


def year_of(as_of: str | None) -> int | None:
    m = _DATE.match(as_of or "")
    return int(m.group(1)) if m else None
