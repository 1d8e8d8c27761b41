"""Ingest: read input files into RawDoc records, one at a time.

`read(paths)` takes files, directories (walked recursively, sorted, hidden files skipped) and
`-` for standard input, and yields a `RawDoc` per document or a `Failure` per input that
cannot be used; a bad input never stops the run. Formats, by file name (a `.gz` suffix
means gzip and is looked through): `.html`/`.htm` pages, `.jsonl` records, and text for
anything else, unless the content of a file with an unknown extension (or stdin) starts
with `<` (HTML) or `{` (JSON Lines).
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator

from tally.errors import InputError
from tally.ingest import jsonl
from tally.ingest.decode import BinaryInput, decode
from tally.ingest.files import GZIP_MAGIC, Found, name_parts, read_bytes, read_capped, walk
from tally.model import Failure, RawDoc

__all__ = ["read"]

DEFAULT_MAX_BYTES = 20_000_000
STDIN = "<stdin>"


def read(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDoc | Failure]:
    """Yield a RawDoc for each document in `paths`, or a Failure saying why an input was unusable.

    Binary files met inside a directory are skipped silently (a folder of articles may hold
    images); named explicitly, they are a Failure like any other bad input.
    """
    for item in walk(paths):
        if isinstance(item, Failure):
            yield item
        elif item.path == "-":
            yield from _read_stdin(max_bytes)
        else:
            yield from _read_file(item, max_bytes)


def _read_file(found: Found, max_bytes: int) -> Iterator[RawDoc | Failure]:
    path = found.path
    stem, fmt = name_parts(path)
    if fmt == "jsonl":
        yield from jsonl.read_file(path, stem, max_bytes)
        return
    try:
        text, encoding = decode(read_bytes(path, max_bytes))
    except BinaryInput as exc:
        if found.explicit:
            yield Failure(source=path, reason=str(exc))
        return
    except InputError as exc:
        yield Failure(source=path, reason=str(exc))
        return
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
