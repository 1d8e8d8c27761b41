"""JSON Lines: one article per line, a JSON object with `text` or `html`.

Optional fields `url`, `title`, `published`, `outlet`, `lang` and `id` become the RawDoc's
metadata (`id` its doc_id; without one, `<file stem>-<line number>`). A bad line is a Failure
naming `file:line`; the other lines still yield documents. The size cap applies to each line,
not to the file, so a large export streams through.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from tally.errors import InputError
from tally.ingest.decode import decode, sniff_binary
from tally.ingest.files import gzip_reason, open_binary
from tally.model import Failure, RawDoc

_META = ("url", "title", "published", "outlet", "lang")


def read_file(path: str, stem: str, max_bytes: int) -> Iterator[RawDoc | Failure]:
    """Every record of a JSON Lines file (plain or gzip), streamed line by line."""
    try:
        with open_binary(path) as stream:
            yield from parse(_lines(stream, max_bytes), path, stem, max_bytes)
    except InputError as exc:
        yield Failure(source=path, reason=str(exc))
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield Failure(source=path, reason=gzip_reason(exc))
    except OSError as exc:
        yield Failure(source=path, reason=f"unreadable: {(exc.strerror or str(exc)).lower()}")


def parse(
    lines: Iterable[tuple[int, bytes | None]], source: str, stem: str, max_bytes: int
) -> Iterator[RawDoc | Failure]:
    """Records from numbered lines; a None line is one that exceeded the size cap."""
    seen_any = False
    for n, line in lines:
        where = f"{source}:{n}"
        if line is None:
            yield Failure(source=where, reason=f"record larger than {max_bytes:,} bytes; skipped")
            seen_any = True
            continue
        if n == 1:
            why = sniff_binary(line)
            if why:
                yield Failure(source=source, reason=why)
                return
        if not line.strip():
            continue
        seen_any = True
        try:
            yield _record(line, n, source, stem)
        except InputError as exc:
            yield Failure(source=where, reason=str(exc))
    if not seen_any:
        yield Failure(source=source, reason="empty file: no JSON records")


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    n = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
        else:
            yield n, line


def _record(line: bytes, n: int, source: str, stem: str) -> RawDoc:
    try:
        text, encoding = decode(line)
    except InputError as exc:
        raise InputError(f"line {n}: {exc}") from exc
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON line ({exc.msg} at column {exc.colno}); fix or remove it") from exc
    if not isinstance(data, dict):
        raise InputError(f"JSON line is a {type(data).__name__}, not an object with 'text' or 'html'")
    meta = {k: _str(data.get(k)) for k in _META}
    doc_id = _str(data.get("id")) or f"{stem}-{n}"
    for key, fmt in (("text", "text"), ("html", "html")):
        content = data.get(key)
        if isinstance(content, str) and content.strip():
            return RawDoc(doc_id=doc_id, source=source, content=content, fmt=fmt, encoding=encoding, **meta)
    if any(k in data for k in ("text", "html")):
        raise InputError("record has an empty 'text'/'html' field")
    raise InputError("record has no 'text' or 'html' field")


def _str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
