"""What a source lists now: `listing(source, state, fetcher)`.

A source is an http(s) URL of an RSS/Atom feed or a news sitemap, or a local file: a feed
file, a sitemap file, or a `.urls` list of article URLs (one a line, `#` comments; the
file is read again each round, so lines can be added while Tally watches).

A URL is fetched through the ingest fetcher (robots.txt, pacing, retries, size cap) with
the validators of its last full answer, so a server with nothing new answers 304 and
costs one small request. A server without validators is read whole and compared by
digest. Anything that makes a source unusable this round raises SourceError with one
line saying what: the watcher logs it, backs the source off and goes on.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from tally.errors import InputError
from tally.ingest import feed
from tally.ingest.decode import decode
from tally.ingest.files import read_bytes
from tally.ingest.url import Fetcher, Page, is_url
from tally.watch import sitemap
from tally.watch.records import Item, Listing, SourceState

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
# Characters of an HTML page's title quoted when a feed URL answers with a page.
TITLE_CHARS = 80


class SourceError(InputError):
    """A source cannot be read this round (not found, not a feed, timed out, ...)."""


def listing(source: str, state: SourceState | None, fetcher: Fetcher, max_bytes: int) -> Listing:
    """The items `source` lists now, or `not_modified`; SourceError when it cannot be read."""
    state = state or SourceState(source)
    if is_url(source):
        return _from_url(source, state, fetcher)
    return _from_file(source, state, max_bytes)


def _from_url(url: str, state: SourceState, fetcher: Fetcher) -> Listing:
    try:
        page = fetcher.fetch(url, etag=state.etag, last_modified=state.last_modified)
    except InputError as exc:
        raise SourceError(str(exc)) from exc
    if page.not_modified:
        return Listing(
            not_modified=True,
            etag=page.etag or state.etag,
            last_modified=page.last_modified or state.last_modified,
            digest=state.digest,
        )
    digest = hashlib.sha256(page.content).hexdigest()
    if digest == state.digest:
        return Listing(not_modified=True, etag=page.etag, last_modified=page.last_modified, digest=digest)
    found = _items(url, page.content, page)
    found.etag, found.last_modified, found.digest = page.etag, page.last_modified, digest
    return found


def _from_file(path: str, state: SourceState, max_bytes: int) -> Listing:
    try:
        data = read_bytes(path, max_bytes)
    except InputError as exc:
        raise SourceError(str(exc)) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest == state.digest:
        return Listing(not_modified=True, digest=digest)
    if path.lower().endswith((".urls", ".urls.gz")):
        found = _url_list(path, data)
    else:
        found = _items(path, data, None)
    found.digest = digest
    return found


def _items(source: str, data: bytes, page: Page | None) -> Listing:
    """A feed's entries or a sitemap's URLs, by what the bytes are."""
    media = page.media_type if page else ""
    kind = sitemap.sniff(data)
    if kind is not None:
        try:
            entries, problem = sitemap.entries(data)
        except sitemap.NotASitemap as exc:
            raise SourceError(str(exc)) from exc
        return Listing([Item(source, e) for e in entries], problem=problem)
    if media in _HTML_TYPES or _looks_html(data):  # a page, whatever the server calls it
        raise SourceError(_html_answer(data, media or "HTML"))
    if not data.strip():
        raise SourceError("empty answer: no feed or sitemap in it")
    stem = (urlsplit(source).hostname or "feed").removeprefix("www.") if page else Path(source).stem
    found = feed.entries(data, source, stem)
    if not found.entries and found.problem:
        raise SourceError(found.problem + _what(media))
    entries = found.entries
    if found.problem:  # the entry at the break may be cut short: it waits for a whole feed
        entries = entries[:-1]
    return Listing([Item(source, e) for e in entries], problem=found.problem)


def _url_list(path: str, data: bytes) -> Listing:
    try:
        text, _encoding = decode(data)
    except InputError as exc:
        raise SourceError(str(exc)) from exc
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not is_url(url):
            raise SourceError(f"line {n} is not an http:// or https:// URL: {url[:80]!r}")
        host = (urlsplit(url).hostname or "url").removeprefix("www.")
        name = f"{host}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"
        entry = feed.Entry(n, url, name, url, None, None, None, None, "html", False)
        items.append(Item(path, entry))
    return Listing(items)


def _looks_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _html_answer(data: bytes, media: str) -> str:
    m = _TITLE.search(data[:65536])
    title = " ".join(m.group(1).decode("utf-8", "replace").split())[:TITLE_CHARS] if m else ""
    quoted = f" titled {title!r}" if title else ""
    return f"not a feed: the server answered with an HTML page{quoted} ({media}); is this the feed's address?"


def _what(media: str) -> str:
    return f"; the server said it is {media}" if media and media not in _FEED_TYPES else ""
