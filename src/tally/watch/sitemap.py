"""News sitemaps in: each `<url>` a possible article, with the Google News extension's
title, publication name and date when present (https://www.sitemaps.org/protocol.html).

The XML is read incrementally, so a sitemap cut short keeps the `<url>` elements before
the cut, as a broken feed keeps its first entries. `<lastmod>` is not a publication date
and is not read as one: the page's own date is found when it is cleaned. A sitemap index (a list of sitemaps)
is refused with a reason: watch the news sitemaps it lists instead, which are small and
change often, unlike the archive sitemaps an index mostly holds.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from tally.ingest.feed import Entry

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# Bytes looked at to tell a sitemap from other XML.
SNIFF_BYTES = 4096

_ROOT = re.compile(rb"<(?:[\w.-]+:)?(urlset|sitemapindex)\b")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class NotASitemap(ValueError):
    """The bytes are no sitemap, or none Tally can watch."""


def sniff(data: bytes) -> str | None:
    """'urlset' or 'sitemapindex' when the bytes are a sitemap, else None."""
    m = _ROOT.search(data[:SNIFF_BYTES])
    return m.group(1).decode() if m else None


def entries(data: bytes) -> tuple[list[Entry], str | None]:
    """The `<url>` entries of a sitemap, and what is wrong with it after them, if anything."""
    if sniff(data) == "sitemapindex":
        raise NotASitemap("a sitemap index: watch the news sitemaps it lists instead")
    parser: Any = XMLPullParser(events=("end",))
    found: list[Entry] = []
    problem = None
    try:
        parser.feed(data)
        parser.close()
    except ParseError as exc:
        problem = f"not well-formed XML ({exc})"
    for _event, elem in parser.read_events():
        if isinstance(elem, Element) and elem.tag == SITEMAP_NS + "url":
            entry = _entry(elem, len(found) + 1)
            if entry is not None:
                found.append(entry)
    if not found and problem:
        raise NotASitemap(f"not a readable sitemap: {problem}")
    return found, problem


def _entry(elem: Element, n: int) -> Entry | None:
    loc = _text(elem.find(SITEMAP_NS + "loc"))
    if not loc or not loc.lower().startswith(("http://", "https://")):
        return None
    news = elem.find(NEWS_NS + "news")
    title = outlet = published = None
    if news is not None:
        title = _text(news.find(NEWS_NS + "title"))
        outlet = _text(news.find(f"{NEWS_NS}publication/{NEWS_NS}name"))
        published = _day(_text(news.find(NEWS_NS + "publication_date")))
    host = (urlsplit(loc).hostname or "url").removeprefix("www.")
    return Entry(
        n=n,
        ident=loc,
        name=f"{host}-{hashlib.sha1(loc.encode('utf-8')).hexdigest()[:10]}",
        link=loc,
        title=title,
        published=published,
        outlet=outlet,
        body=None,
        fmt="html",
        full=False,
    )


def _text(elem: Element | None) -> str | None:
    if elem is None or elem.text is None:
        return None
    return " ".join(elem.text.split()) or None


def _day(value: str | None) -> str | None:
    return value[:10] if value and _DATE.match(value) else None
