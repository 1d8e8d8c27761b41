"""Clean: turn a RawDoc into the Doc whose text figures point into.

`clean(raw)` extracts the main text of HTML pages (trafilatura) and then, for every format,
drops page furniture and repeated paragraphs line by line (`text.py`). The kept text is made
of whole lines of the raw content, joined by single newlines or by blank lines between
paragraphs, and `Doc.segments` maps each run of it back to the raw content (for HTML, to
trafilatura's text). Metadata given with the RawDoc wins over what the page or text says.
"""

from __future__ import annotations

from tally.clean import credit
from tally.clean.language import detect
from tally.clean.text import clean_text
from tally.errors import InputError
from tally.model import Doc, RawDoc

__all__ = ["clean"]


def clean(raw: RawDoc) -> Doc:
    """The cleaned document; InputError if nothing of an article is left."""
    if raw.fmt == "html":
        # Imported here: trafilatura takes a tenth of a second to import, which plain text never needs.
        from tally.clean.html import extract

        page = extract(raw.content, raw.url)
        # trafilatura gives a paragraph a line; the visible-text fallback a block a line.
        result = clean_text(page.text, paragraphs=not page.fallback)
        title = raw.title or page.title or result.title
        published = raw.published or result.published or page.published
        url, outlet = raw.url or page.url, raw.outlet or page.outlet
    elif raw.fmt == "text":
        result = clean_text(raw.content)
        title, published = raw.title or result.title, raw.published or result.published
        url, outlet = raw.url, raw.outlet
        found = credit.read(raw.content)
        if found:
            url, outlet = url or found.url, outlet or found.outlet
            published = published or found.published
    else:
        raise InputError(f"cannot clean format {raw.fmt!r}: expected 'text' or 'html'")
    if not result.text:
        raise InputError("no article text found")
    return Doc(
        doc_id=raw.doc_id,
        source=raw.source,
        text=result.text,
        title=title,
        url=url,
        published=published,
        outlet=outlet,
        lang=raw.lang or detect(result.text),
        segments=result.segments,
    )
