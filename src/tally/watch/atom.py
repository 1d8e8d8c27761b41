"""Alerts as an Atom feed (RFC 4287), for `/alerts.atom` on `tally serve`: any feed reader
can follow the watcher without a webhook.

Each alert is an entry: its sentence of what changed as the title, the series as its
link, the figure in its document as a related link, the quoted sentence and who said
it in the summary, the event as its category. Built with ElementTree, which escapes
every value; characters XML cannot carry (control bytes in an article) are dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import tally

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
# Entries in the feed: the newest alerts; older ones are on the What's new page.
FEED_ENTRIES = 100

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: Any) -> str:
    return _NOT_XML.sub("", "" if text is None else str(text))


def _add(parent: Element, tag: str, text: Any = None, **attrs: str) -> Element:
    el = SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def feed(alerts: list[dict[str, Any]], base: str) -> bytes:
    """The feed of `alerts` (newest first), with absolute links under `base` (the server's URL)."""
    base = base.rstrip("/")
    root = Element("feed", {"xmlns": ATOM_NS})
    _add(root, "title", "Tally: alerts")
    _add(root, "subtitle", "New figures, reports, conflicts and best estimates in the ledger")
    _add(root, "id", f"{base}/alerts.atom")
    newest = alerts[0]["created"] if alerts else datetime.now(UTC).isoformat()
    _add(root, "updated", newest)
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=f"{base}/alerts.atom")
    _add(root, "link", rel="alternate", type="text/html", href=f"{base}/whats-new")
    author = _add(root, "author")
    _add(author, "name", "Tally")
    _add(root, "generator", "Tally", version=tally.__version__)
    for a in alerts:
        entry = _add(root, "entry")
        _add(entry, "id", f"{base}/whats-new#alert-{a['id']}")
        _add(entry, "title", a.get("text") or a.get("event"))
        _add(entry, "updated", a["created"])
        _add(entry, "published", a["created"])
        _add(entry, "category", term=str(a.get("event")))
        series, figure = a.get("series") or {}, a.get("figure") or {}
        if series.get("href"):
            _add(entry, "link", rel="alternate", type="text/html", href=base + series["href"])
        if figure.get("href"):
            _add(entry, "link", rel="related", type="text/html", href=base + figure["href"])
        _add(entry, "summary", _summary(a), type="text")
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _summary(a: dict[str, Any]) -> str:
    figure = a.get("figure") or {}
    said = ", ".join(x for x in (figure.get("source"), figure.get("outlet"), figure.get("published")) if x)
    lines = [a.get("text") or ""]
    if figure.get("quote"):
        lines.append(f"“{figure['quote']}”" + (f" ({said})" if said else ""))
    return "\n\n".join(lines)
