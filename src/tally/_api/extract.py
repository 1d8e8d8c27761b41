"""`tally.extract(...)`: the figures in an article given as text, a file, or many of them.

The same per-document function as `tally extract` and `tally ingest`
(`tally.pipeline.process`), with nothing stored: for trying Tally on a paragraph, or
reading a few files in a notebook. For many files, where some may be unreadable, a
`Ledger`'s `ingest` records the bad ones and goes on; `extract` stops at the first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from tally._api import checks
from tally._api.records import Records
from tally.errors import ArgumentError, ExtractionError, InputError
from tally.model import Failure, Figure, RawDoc

Source = str | os.PathLike[str]
TEXT_SOURCE = "<text>"
# A string longer than this, or with a line break, is text, never a path.
MAX_PATH_CHARS = 4096
_SPACE = re.compile(r"\s")


def extract(
    text_or_path: Source | Iterable[Source],
    *,
    lang: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | date | None = None,
) -> Records[Figure]:
    """The figures about people in an article, each with its exact sentence.

    `text_or_path` is the article's text, a path (a `pathlib.Path`, or a string naming an
    existing file or folder, read as `tally extract` reads it), an http(s) URL to fetch,
    or an iterable of any of these. A string without spaces must name a file, a folder
    or a URL: a mistyped path is an error, not an article of one word.

    `lang` forces the language (one of 'en', 'fr', 'de') instead of detecting it; `url`, `outlet`
    and `published` (a date or ISO text) give the provenance each figure carries, and
    win over what a file says of itself. Text given as a string is the document `text`
    (or `text-1`, `text-2`, ... in an iterable).

        >>> figs = tally.extract("At least 1,200 Tunisians have travelled to Syria since 2012.")
        >>> figs[0].value, figs[0].origin, figs[0].status
        (1200.0, 'TN', 'joined')
    """
    from tally import pipeline

    checks.lang(lang)
    meta = {"url": url, "outlet": outlet, "published": checks.published(published)}
    out: Records[Figure] = Records((), Figure)
    for raw in _documents(text_or_path):
        for key, value in meta.items():
            if value is not None:
                setattr(raw, key, value)
        result = pipeline.process(raw, lang=lang)
        if isinstance(result, Failure):
            raise ExtractionError(f"cannot extract from {result.source}: {result.reason}")
        out.extend(result.figures)
    return out


def _documents(given: Source | Iterable[Source]) -> Iterator[RawDoc]:
    """A RawDoc per article: texts as they are, paths and URLs through the readers."""
    if isinstance(given, str | os.PathLike):
        yield from _one(given, "text")
        return
    if isinstance(given, bytes) or not isinstance(given, Iterable):
        raise ArgumentError(
            f"give the article as text (str), a path, or a list of them, not {type(given).__name__}"
        )
    for n, item in enumerate(given, 1):
        if not isinstance(item, str | os.PathLike):
            raise ArgumentError(f"item {n} is a {type(item).__name__}: give text (str) or a path")
        yield from _one(item, f"text-{n}")


def _one(item: Source, name: str) -> Iterator[RawDoc]:
    path = _as_path(item)
    if path is None:
        assert isinstance(item, str)
        fmt = "html" if item.lstrip().startswith("<") else "text"
        yield RawDoc(doc_id=name, source=TEXT_SOURCE, content=item, fmt=fmt)
        return
    from tally import ingest

    for found in ingest.read([path]):
        if isinstance(found, Failure):
            raise InputError(
                f"cannot read {found.source}: {found.reason}; "
                "to store what can be read and record the rest, use tally.open(...).ingest(...)"
            )
        yield found


def _as_path(item: Source) -> str | None:
    """The path or URL a source names, or None when it is an article's text."""
    if not isinstance(item, str):
        path = os.fspath(item)
        if not _exists(path):
            raise InputError(f"no such file or folder: {path}")
        return path
    if item.startswith(("http://", "https://")) and not _SPACE.search(item):
        return item
    if len(item) <= MAX_PATH_CHARS and "\n" not in item and _exists(item):
        return item
    if not item.strip():
        raise InputError("the text is empty: give an article's text, a path or a URL")
    if not _SPACE.search(item.strip()):
        raise InputError(
            f"no such file or folder: {item!r}; to extract from an article's text, pass the text itself"
        )
    return None


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # too long for a file name, or a NUL in it: text
        return False
