"""Ingest: read input files into RawDoc records, one at a time.

`read(paths)` takes files, directories (walked recursively, sorted, hidden files skipped) and
`-` for standard input, and yields a `RawDoc` per document or a `Failure` per input that
cannot be used; a bad input never stops the run. Formats, by file name (a `.gz` suffix
means gzip and is looked through): `.html`/`.htm` pages, `.jsonl` records, `.warc`/`.arc`
web archives (warc.py), `.rss`/`.atom` feeds and `.xml` files that are feeds (feed.py),
`.urls` lists of URLs, and text for anything else, unless the content of a file with an
unknown extension (or stdin) starts with `<` (HTML, or a feed) or `{` (JSON Lines).
Arguments starting with `http://` or `https://` are fetched (url.py), through the
`fetcher` given or, on first need, a default one.
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator

from tally.errors import InputError
from tally.ingest import feed, jsonl, url, warc
from tally.ingest.decode import BinaryInput, decode
from tally.ingest.files import GZIP_MAGIC, Found, name_parts, read_bytes, read_capped, walk
from tally.ingest.url import Fetcher, FetcherSlot
from tally.model import Failure, RawDoc

__all__ = ["Fetcher", "read", "read_found"]

DEFAULT_MAX_BYTES = 20_000_000
STDIN = "<stdin>"


def read(
    paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, fetcher: Fetcher | None = None
) -> Iterator[RawDoc | Failure]:
    """Yield a RawDoc for each document in `paths`, or a Failure saying why an input was unusable.

    Binary files met inside a directory are skipped silently (a folder of articles may hold
    images); named explicitly, they are a Failure like any other bad input. A page captured
    twice in the web archives of one call (same payload digest) is read once.
    """
    slot = FetcherSlot(fetcher)
    seen: set[str] = set()
    try:
        for item in walk(paths):
            if isinstance(item, Failure):
                yield item
            elif item.path == "-":
                yield from _read_stdin(max_bytes)
            elif url.is_url(item.path):
                yield from url.read_url(item.path, slot, max_bytes)
            else:
                yield from read_found(item, max_bytes, slot=slot, seen=seen)
    finally:
        slot.close()


def read_found(
    found: Found,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    slot: FetcherSlot | None = None,
    seen: set[str] | None = None,
) -> Iterator[RawDoc | Failure]:
    """The documents of one file found by `files.walk` (the batch planner reads files one by one).

    `slot` gives the fetcher for feeds and URL lists (made on first need when None); `seen`
    the payload digests of web-archive pages already read in this run.
    """
    own = slot is None
    slot = slot or FetcherSlot()
    try:
        yield from _read_file(found, max_bytes, slot, seen)
    finally:
        if own:
            slot.close()


def _read_file(
    found: Found, max_bytes: int, slot: FetcherSlot, seen: set[str] | None
) -> Iterator[RawDoc | Failure]:
    path = found.path
    stem, fmt = name_parts(path)
    if fmt == "warc":
        yield from warc.read_file(path, stem, max_bytes, seen)
        return
    if fmt == "feed":
        yield from feed.read_file(path, stem, slot, max_bytes)
        return
    if fmt == "urls":
        yield from url.read_list(path, slot, max_bytes)
        return
    if fmt == "jsonl":
        yield from jsonl.read_file(path, stem, max_bytes)
        return
    try:
        data = read_bytes(path, max_bytes)
        is_feed = fmt in (None, "xml") and feed.sniff(data)
        if not is_feed:
            text, encoding = decode(data)
    except BinaryInput as exc:
        if found.explicit:
            yield Failure(source=path, reason=str(exc))
        return
    except InputError as exc:
        yield Failure(source=path, reason=str(exc))
        return
    if is_feed:
        yield from feed.parse(data, path, stem, slot, max_bytes)
        return
    fmt = None if fmt == "xml" else fmt
    yield from _documents(text, encoding, fmt or _sniff(text), path, stem, max_bytes)


def _read_stdin(max_bytes: int) -> Iterator[RawDoc | Failure]:
    try:
        stream = sys.stdin.buffer
        head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
        if head == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=stream, mode="rb") as gz:
                data = read_capped(gz, max_bytes, compressed=True)  # type: ignore[arg-type]
        else:
            data = read_capped(stream, max_bytes, compressed=False)
        text, encoding = decode(data)
    except InputError as exc:
        reason = str(exc)
        yield Failure(source=STDIN, reason="empty input" if reason == "empty file" else reason)
        return
    yield from _documents(text, encoding, _sniff(text), STDIN, "stdin", max_bytes)


def _documents(
    text: str, encoding: str, fmt: str, source: str, stem: str, max_bytes: int
) -> Iterator[RawDoc | Failure]:
    if fmt == "jsonl":
        raw = io.BytesIO(text.encode("utf-8"))
        numbered = ((n, line) for n, line in enumerate(raw, start=1))
        yield from jsonl.parse(numbered, source, stem, max_bytes)
        return
    yield RawDoc(doc_id=stem, source=source, content=text, fmt=fmt, encoding=encoding)


def _sniff(text: str) -> str:
    start = text.lstrip()[:1]
    if start == "<":
        return "html"
    if start == "{":
        return "jsonl"
    return "text"
