"""Finding input files and reading their bytes within a size cap.

Directories are walked lazily (one directory listing at a time, sorted by name), so a folder
of 100,000 articles never sits in memory. Sizes are checked before reading: a plain file by
its size on disk, a gzip file while it is decompressed, so a small bomb cannot expand past
the cap either.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from tally.errors import InputError
from tally.ingest.decode import SNIFF_BYTES, BinaryInput, sniff_binary
from tally.model import Failure

GZIP_MAGIC = b"\x1f\x8b"
# Bytes read at a time while decompressing.
CHUNK = 1 << 20

_COMPRESSED_SUFFIXES = (".gz", ".gzip")
# A trailing ".xyz" counts as an extension only if it looks like one (not ".2021" or ".5").
_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{0,5})$")
_FORMATS = {
    "txt": "text",
    "text": "text",
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "shtml": "html",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    # Web archives (warcio), feeds (feedparser; .xml is looked at first), URL lists.
    "warc": "warc",
    "arc": "warc",
    "rss": "feed",
    "atom": "feed",
    "xml": "xml",
    "urls": "urls",
}


# Files that sit beside articles in a folder but are no news (a notebook, code, tables,
# images, a store): skipped when found in a directory, read only when named on their own.
NOT_NEWS = frozenset(
    {"ipynb", "py", "md", "csv", "tsv", "toml", "yaml", "yml", "cfg", "ini", "db", "sqlite", "parquet"}
    | {"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "zip", "tar", "mp4", "mp3"}
)


def not_news(path: str) -> bool:
    """Whether a file's name shows it is something other than news (see NOT_NEWS)."""
    m = _EXTENSION.search(os.path.basename(path))
    return bool(m and m.start() > 0 and m.group(1).lower() in NOT_NEWS)


@dataclass(slots=True, frozen=True)
class Found:
    """One input file; `explicit` is False when it was found inside a named directory."""

    path: str
    explicit: bool


def walk(paths: Iterable[str]) -> Iterator[Found | Failure]:
    """Every input file under `paths`, in order; directories recursively and sorted by name."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            yield from _walk_dir(path, set())
        else:
            yield Found(path, explicit=True)


def _walk_dir(folder: str, seen: set[str]) -> Iterator[Found | Failure]:
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        with os.scandir(folder) as entries:
            names = sorted((e.name, e.is_dir()) for e in entries if not e.name.startswith("."))
    except OSError as exc:
        yield Failure(source=folder, reason=f"unreadable directory: {_os_reason(exc)}")
        return
    for name, is_dir in names:
        path = os.path.join(folder, name)
        if is_dir:
            yield from _walk_dir(path, seen)
        elif not not_news(path):
            yield Found(path, explicit=False)


def name_parts(path: str) -> tuple[str, str | None]:
    """(doc_id, format) from a file name: `x.html.gz` -> ("x", "html"); unknown format -> None."""
    name = os.path.basename(path)
    lower = name.lower()
    for suffix in _COMPRESSED_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    m = _EXTENSION.search(name)
    if not m or m.start() == 0:
        return name, None
    return name[: m.start()], _FORMATS.get(m.group(1).lower())


@contextmanager
def open_binary(path: str) -> Iterator[BinaryIO]:
    """The file's bytes as a stream, decompressed when it is gzip (by content, not by name)."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(f"unreadable: {_os_reason(exc)}") from exc
    with f:
        if f.peek(2)[:2] == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=f, mode="rb") as gz:
                yield gz  # type: ignore[misc]
        else:
            yield f


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The whole content of a file (decompressed), or InputError if too large or unreadable.

    A file whose first bytes show it is not text raises BinaryInput before its size is looked
    at, so that a video in a folder of articles is recognised as such, not as too large.
    """
    with open_binary(path) as stream:
        if isinstance(stream, gzip.GzipFile):
            return read_capped(stream, max_bytes, compressed=True)  # type: ignore[arg-type]
        why = sniff_binary(stream.peek(SNIFF_BYTES)[:SNIFF_BYTES])  # type: ignore[attr-defined]
        if why:
            raise BinaryInput(why)
        size = os.fstat(stream.fileno()).st_size
        if size > max_bytes:
            raise InputError(_too_large(max_bytes, size))
        return read_capped(stream, max_bytes, compressed=False)


def read_capped(stream: BinaryIO, max_bytes: int, *, compressed: bool) -> bytes:
    """Read a stream to its end, refusing more than `max_bytes` (decompressed) bytes."""
    chunks: list[bytes] = []
    total = 0
    try:
        while True:
            chunk = stream.read(min(CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                what = " once decompressed" if compressed else ""
                raise InputError(f"{_too_large(max_bytes)}{what}: split it or raise the size limit")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(gzip_reason(exc)) from exc
    except OSError as exc:
        raise InputError(f"unreadable: {_os_reason(exc)}") from exc
    return b"".join(chunks)


def gzip_reason(exc: Exception) -> str:
    if isinstance(exc, EOFError):
        return "truncated gzip: the compressed data ends early; copy or download the file again"
    return f"corrupt gzip data ({exc}); copy or download the file again"


def _too_large(max_bytes: int, size: int | None = None) -> str:
    if size is None:
        return f"larger than {max_bytes:,} bytes"
    return f"larger than {max_bytes:,} bytes ({size:,} bytes): split it or raise the size limit"


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
