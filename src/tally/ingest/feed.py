"""RSS and Atom feeds in, through feedparser: one RawDoc per entry.

An entry's own content (content:encoded, Atom content, or a description long enough to be
the article) is used as it is; an entry that only carries a teaser is replaced by the page
it links to, fetched through the URL fetcher (so robots.txt, rate limits and size caps
apply). Each entry keeps its title, link and date, and the feed's title as its outlet. A
date that cannot be read is None, never a guess: feedparser rolls "2024-13-45" over into
2025, so dates are checked here before they are kept.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tally.errors import InputError
from tally.ingest.files import read_bytes
from tally.ingest.url import FetcherSlot, fetch_page, page_doc
from tally.model import Failure, RawDoc

# A description with less visible text than this is a teaser, not the article: the linked
# page is fetched instead (a news teaser runs 100-300 characters, an article thousands).
TEASER_CHARS = 400
# Bytes at the start of a file looked at to tell a feed from other XML.
SNIFF_BYTES = 4096

_TAG = re.compile(r"<[^>]*>")
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf"}
_ISO = re.compile(r"\d{4}-\d")
_RFC822 = re.compile(r"\d{1,2}\s+[A-Za-z]{3,}\s+\d{2,4}")


def sniff(data: bytes) -> bool:
    """Whether XML bytes are an RSS or Atom feed (by the name of their root element)."""
    head = _PROLOG.sub(b"", data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n"))
    m = _FIRST_TAG.search(head)
    return m is not None and m.group(1).lower() in _FEED_ROOTS


def read_file(path: str, stem: str, slot: FetcherSlot, max_bytes: int) -> Iterator[RawDoc | Failure]:
    """Every entry of a feed file (plain or gzip)."""
    try:
        data = read_bytes(path, max_bytes)
    except InputError as exc:
        yield Failure(source=path, reason=str(exc))
        return
    yield from parse(data, path, stem, slot, max_bytes)


@dataclass(slots=True)
class Entry:
    """One entry as the feed gives it: its identity, metadata and own content, if any.

    `body` is the whole article when `full`, a teaser otherwise (or None): the article
    is then the page at `link`.
    """

    n: int
    ident: str
    name: str
    link: str | None
    title: str | None
    published: str | None
    outlet: str | None
    body: str | None
    fmt: str
    full: bool

    def doc(self, source: str) -> RawDoc:
        """The entry's own content as a document (`body` must be set)."""
        assert self.body is not None
        return RawDoc(
            doc_id=self.name,
            source=source,
            content=self.body,
            fmt=self.fmt,
            url=self.link,
            title=self.title,
            published=self.published,
            outlet=self.outlet,
        )

    def page(self, page: RawDoc) -> RawDoc:
        """The linked page, named and dated as the entry."""
        page.doc_id, page.title, page.published, page.outlet = (
            self.name,
            self.title,
            self.published,
            self.outlet,
        )
        return page


@dataclass(slots=True)
class Entries:
    """What a feed's bytes hold: its entries, and what is wrong with it, if anything.

    `problem` with no entries: not a feed, or unreadable. With entries: the feed is broken
    after them (truncated, or bad XML further on); the entries up to the break are read,
    and the last of them may be cut short.
    """

    entries: list[Entry]
    problem: str | None = None


def entries(data: bytes, source: str, stem: str) -> Entries:
    """The entries of a feed's bytes; `source` names the feed in entries without id or link."""
    import feedparser  # here, not at the top: a run that reads no feed never pays its import

    # A file object, never a string: feedparser would take a string for a URL or a path.
    parsed = feedparser.parse(io.BytesIO(data))
    why = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if why is not None:
            return Entries([], f"not a readable RSS or Atom feed ({why})")
        if not parsed.get("version"):
            return Entries([], "not an RSS or Atom feed")
        return Entries([])
    outlet = _clean(parsed.feed.get("title"))
    found = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = _clean(entry.get("link"))
        ident = _clean(entry.get("id")) or link or f"{source}#{n}"
        body, fmt, full = _own_content(entry)
        found.append(
            Entry(
                n=n,
                ident=ident,
                name=f"{stem}-{hashlib.sha1(ident.encode('utf-8')).hexdigest()[:10]}",
                link=link,
                title=_clean(entry.get("title")),
                published=entry_date(entry, "published") or entry_date(entry, "updated"),
                outlet=outlet,
                body=body,
                fmt=fmt,
                full=full,
            )
        )
    problem = f"not well-formed XML ({why})" if why is not None else None
    return Entries(found, problem)


def parse(
    data: bytes, source: str, stem: str, slot: FetcherSlot, max_bytes: int
) -> Iterator[RawDoc | Failure]:
    """Entries of a feed's bytes; `source` names the feed in documents and failures."""
    found = entries(data, source, stem)
    if not found.entries and found.problem:
        yield Failure(source=source, reason=found.problem)
    for entry in found.entries:
        try:
            yield from _entry(entry, source, slot, max_bytes)
        except InputError as exc:
            where = f"{source} entry {entry.n}" + (f" ({entry.link})" if entry.link else "")
            yield Failure(source=where, reason=str(exc))


def _entry(entry: Entry, source: str, slot: FetcherSlot, max_bytes: int) -> Iterator[RawDoc | Failure]:
    if entry.body and (entry.full or not entry.link):
        yield entry.doc(source)
        return
    if not entry.link:
        raise InputError("entry has no content and no link")
    try:
        page = page_doc(fetch_page(entry.link, slot, max_bytes), entry.name, entry.link)
    except InputError as exc:
        if not entry.body:
            raise
        # The teaser is all there is: say why the page is missing, and keep the teaser.
        where = f"{source} entry {entry.n} ({entry.link})"
        yield Failure(source=where, reason=f"{exc}; kept the feed's teaser")
        yield entry.doc(source)
        return
    yield entry.page(page)


def _own_content(entry: Any) -> tuple[str | None, str, bool]:
    """(content, format, is the whole article) from the entry itself."""
    for item in entry.get("content") or []:
        value = item.get("value") or ""
        if value.strip():
            return value, _fmt(item.get("type")), True
    summary = entry.get("summary") or ""
    if not summary.strip():
        return None, "html", False
    detail = entry.get("summary_detail") or {}
    visible = html.unescape(_TAG.sub(" ", summary))
    return summary, _fmt(detail.get("type")), len(" ".join(visible.split())) >= TEASER_CHARS


def _fmt(media_type: str | None) -> str:
    return "text" if media_type == "text/plain" else "html"


def entry_date(entry: Any, key: str) -> str | None:
    """An entry's date as YYYY-MM-DD, or None when it is missing or not a real date."""
    # dict.get, not entry.get: feedparser maps a missing `updated` to `published` with a
    # DeprecationWarning.
    raw = _clean(dict.get(entry, key))
    if not raw:
        return None
    if _ISO.match(raw):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            return None
    if _RFC822.search(raw):
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    parsed = dict.get(entry, f"{key}_parsed")  # other formats feedparser knows (W3C, Korean, ...)
    if isinstance(parsed, time.struct_time):
        return time.strftime("%Y-%m-%d", parsed)
    return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
