"""HTML pages: the main text and metadata, by trafilatura.

Settings are tuned for speed and precision: `fast` (no fallback extractors), `favor_precision`,
no comments, tables kept (factboxes carry figures). Metadata is read with trafilatura's own
helpers, but only the fields Tally keeps (title, date, site name, URL): its full metadata pass
also looks for authors, categories, tags and licences, and costs a third of the time.

A page trafilatura finds nothing in (truncated, malformed, not an article) falls back to all
its visible text, which the text cleaner then trims like any scraped text.
"""

from __future__ import annotations

import logging
import re
from contextlib import suppress
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title, extract_url
from trafilatura.settings import use_config
from trafilatura.utils import load_html

# trafilatura and htmldate log what they cannot parse; Tally reports bad pages itself, so
# without a handler set up by the application these records go nowhere (not to stderr).
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# The host of a URL, the site name of last resort ("https://www.nj.com/x" -> "nj.com").
_HOST = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")

# A tag cut off by the end of a truncated page ("<p cla"), which html.parser would keep as text.
_CUT_TAG = re.compile(r"<[^<>]*\Z")

_CONFIG = use_config()
# Extensive date search scans the whole page text for anything date-like: slow and imprecise.
_CONFIG.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
# Pages up to the ingest cap (20 MB) are read; trafilatura's own limit would refuse some.
_CONFIG.set("DEFAULT", "MAX_FILE_SIZE", "100000000")


@dataclass(slots=True)
class Extracted:
    """What a page gave: its main text (one paragraph a line) and metadata."""

    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    fallback: bool = False  # text is all visible text, not trafilatura's main text


def extract(page: str, url: str | None = None) -> Extracted:
    """The main text and metadata of an HTML page; never raises on bad markup."""
    try:
        tree = load_html(page)
    except Exception:  # lxml raises a handful of types on hostile input
        tree = None
    if tree is None:
        return Extracted(text=visible_text(page), url=url, fallback=True)
    meta = _metadata(tree, url)
    try:
        doc = bare_extraction(
            tree,
            url=url,
            fast=True,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            config=_CONFIG,
        )
    except Exception:  # trafilatura on malformed trees; the fallback below reads them
        doc = None
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        meta.text = visible_text(page)
        meta.fallback = True
    else:
        meta.text = text
    return meta


def _metadata(tree: HtmlElement, url: str | None) -> Extracted:
    try:
        meta = examine_meta(tree)
        with suppress(Exception):  # trafilatura's JSON-LD reader on broken JSON
            meta = extract_meta_json(tree, meta)
        title = meta.title or extract_title(tree)
        page_url = _tidy(meta.url or extract_url(tree, url))
        published = find_date(tree, extensive_search=False, original_date=True, url=page_url)
        sitename = meta.sitename or extract_sitename(tree)
    except Exception:  # metadata is a bonus: never lose the text over it
        return Extracted(text="", url=url)
    sitename = _tidy(sitename.lstrip("@")) if sitename else None
    if sitename and "." not in sitename and not sitename[0].isupper():
        sitename = sitename.title()  # as trafilatura does: "nj" -> "Nj"
    if not sitename and page_url:
        host = _HOST.match(page_url)
        sitename = host.group(1) if host else None
    return Extracted(text="", title=_tidy(title), published=published, outlet=sitename, url=page_url)


def _tidy(value: str | None) -> str | None:
    """A metadata string with its whitespace collapsed, or None if it is empty."""
    if not value:
        return None
    return " ".join(unescape(value).split()) or None


class _Visible(HTMLParser):
    """All text outside scripts and styles, a line per block element."""

    _HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th"}
        | {"table", "section", "article", "header", "footer", "blockquote", "pre", "figure"}
        | {"figcaption", "dd", "dt", "nav", "aside", "main", "title"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """Plain text of any markup, even cut mid-tag: one line per block, spaces collapsed."""
    parser = _Visible()
    try:
        parser.feed(_CUT_TAG.sub("", page))
        parser.close()
    except Exception:  # html.parser is lenient; keep whatever it read before giving up
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
