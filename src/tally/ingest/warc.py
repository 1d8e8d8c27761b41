"""Web archives in: WARC and ARC files (plain or gzip) through warcio, one RawDoc per page.

Only captures that are articles become documents: `response` records (ARC records are read
as such) with HTTP status 200 and an HTML content type; request, metadata, revisit and DNS
records, redirects, errors, images and scripts are passed over without a word, as they are
most of any crawl. A page whose payload digest was seen before in the same read is a
duplicate capture and is skipped. Each document keeps the capture's target URI (`url`) and
WARC-Date (`published`, as YYYY-MM-DD: the crawl date, which the page's own date may not
override since the reader's metadata wins in cleaning), and is named `<file stem>@<offset>`,
the record's byte offset as CDX indexes give it, so the name is stable across runs.

warcio is lenient: it yields half a record from a truncated file and stops silently at a
cut gzip member. The checks here turn each of those into a Failure naming the file and the
record offset: a record whose block ends before its Content-Length, bytes left after the
last whole record, a record warcio cannot parse. After a broken record the reader looks for
the next record (the next gzip member, or the next `WARC/1.` line) and goes on from there.

`scan` and `read_at` serve the batch engine: the planner scans each archive once (offsets of
the records that will be documents, deduplicated across the whole batch) and workers read
their share of offsets, so one archive is processed in parallel with the same result as a
sequential read.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Collection, Generator, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from tally.ingest.files import GZIP_MAGIC
from tally.ingest.url import Page, page_text
from tally.model import Failure, RawDoc

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Bytes read at a time while checking gzip members and looking for the next record.
CHUNK = 1 << 20
# Where the next WARC record may start, in an uncompressed archive after a broken record.
_WARC_LINE = b"\nWARC/1."


@dataclass(slots=True)
class _Capture:
    """One HTML page found in an archive, before decoding."""

    offset: int
    uri: str | None
    date: str | None
    payload: bytes
    charset: str | None
    digest: str


class _Iterator(ArchiveIterator):
    """warcio's iterator, but a record whose Content-Length is wrong is noted for a Failure
    instead of a multi-line warning printed on stderr (warcio 1.8.1 `_consume_blanklines`)."""

    def __init__(self, fileobj: Any, **kw: Any) -> None:
        super().__init__(fileobj, **kw)
        self.misaligned: list[int] = []
        # Whether the last gzip member ended with its trailer (warcio does not check).
        self.cut_member = False

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        if decompressor is not None and hasattr(decompressor, "eof"):
            self.cut_member = not decompressor.eof
        super().close()

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        empty_size = 0
        first_line = True
        while True:
            line = self.reader.readline()
            if len(line) == 0:
                return None, empty_size
            stripped = line.rstrip()
            if len(stripped) == 0 or first_line:
                empty_size += len(line)
                if len(stripped) != 0:
                    self.misaligned.append(self.offset)
                    self.err_count += 1
                first_line = False
                continue
            return line, empty_size


def read_file(
    path: str, stem: str, max_bytes: int, seen: set[str] | None = None
) -> Iterator[RawDoc | Failure]:
    """Every HTML page of an archive, in file order; `seen` holds payload digests already read
    (pass one set for a whole run to skip duplicates across archives)."""
    seen = set() if seen is None else seen
    for item in _captures(path, max_bytes):
        if isinstance(item, Failure):
            yield item
        elif item.digest not in seen:
            seen.add(item.digest)
            yield _document(item, path, stem)


def scan(path: str, max_bytes: int, seen: set[str]) -> Iterator[int | Failure]:
    """The offsets of the records `read_file` would turn into documents, and its failures."""
    for item in _captures(path, max_bytes):
        if isinstance(item, Failure):
            yield item
        elif item.digest not in seen:
            seen.add(item.digest)
            yield item.offset


def read_at(path: str, stem: str, offsets: Collection[int], max_bytes: int) -> Iterator[RawDoc | Failure]:
    """The documents at the given record offsets (from `scan`), in the order given."""
    if _mode(path) == "stream":  # one gzip member for the whole file: no seeking in it
        wanted = set(offsets)
        for item in _captures(path, max_bytes):
            if not isinstance(item, Failure) and item.offset in wanted:
                yield _document(item, path, stem)
        return
    for offset in offsets:
        for item in _captures(path, max_bytes, start=offset, single=True):
            yield item if isinstance(item, Failure) else _document(item, path, stem)


def _document(cap: _Capture, path: str, stem: str) -> RawDoc | Failure:
    page = Page(cap.uri or "", 200, cap.payload, "text/html", cap.charset)
    try:
        text, encoding = page_text(page)
    except Exception as exc:  # InputError from decode: binary or empty payload
        return Failure(source=f"{path}@{cap.offset}", reason=f"unreadable page: {exc}")
    return RawDoc(
        doc_id=f"{stem}@{cap.offset}",
        source=path,
        content=text,
        fmt="html",
        url=cap.uri,
        published=cap.date,
        encoding=encoding,
    )


# -- reading records ---------------------------------------------------------------------


def _mode(path: str) -> str:
    """ "plain", "members" (a gzip member per record, seekable), or "stream" (one gzip member
    for the whole file, as `gzip x.warc` makes: readable only from the start)."""
    try:
        with open(path, "rb") as f:
            if f.read(2) != GZIP_MAGIC:
                return "plain"
            f.seek(0)
            d = zlib.decompressobj(31)
            while not d.eof:
                chunk = d.unconsumed_tail or f.read(CHUNK)
                if not chunk:
                    return "stream"  # cut inside the first member: read as far as it goes
                d.decompress(chunk, CHUNK)
            return "members" if d.unused_data or f.read(1) else "stream"
    except (OSError, zlib.error):
        return "members"  # reported when read


def _captures(
    path: str, max_bytes: int, *, start: int = 0, single: bool = False
) -> Iterator[_Capture | Failure]:
    """HTML 200 captures from `start`, resynchronising after a broken record."""
    try:
        mode = _mode(path)
        f: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Failure(source=path, reason=f"unreadable: {(exc.strerror or str(exc)).lower()}")
        return
    with f:
        stream: BinaryIO = gzip.GzipFile(fileobj=f, mode="rb") if mode == "stream" else f  # type: ignore[assignment]
        size = os.fstat(f.fileno()).st_size
        pos: int | None = start
        while pos is not None:
            if mode != "stream":
                f.seek(pos)
            pos = yield from _run(stream, path, mode, size, max_bytes, single)


def _run(
    stream: BinaryIO, path: str, mode: str, size: int, max_bytes: int, single: bool
) -> Generator[_Capture | Failure, None, int | None]:
    """Read records until the end or a broken one; return where to resume, or None."""
    it = _Iterator(stream, arc2warc=True)
    offset = it.offset
    last_failed = False
    try:
        for record in it:
            offset = it.offset
            item = _capture(record, path, offset, max_bytes)
            yield from _misaligned(it, path)
            last_failed = isinstance(item, Failure)
            if item is not None:
                yield item
            if single:
                return None
        yield from _misaligned(it, path)
    except Exception as exc:  # warcio meets garbage with any error; a bad record is data
        where = it.offset
        nxt = None if single or mode == "stream" else _resync(stream, mode, where + 1)
        last = nxt is None and mode != "stream" and not single
        yield Failure(source=f"{path}@{where}", reason=_reason(exc, mode, last=last))
        return nxt
    if mode == "stream":
        yield from _stream_tail(stream, path, it.offset)
        return None
    if it.cut_member and not last_failed and not _leftover(stream, it.offset, size):
        yield Failure(
            source=f"{path}@{offset}",
            reason="truncated gzip: the file ends in this record's gzip trailer; copy or download it again",
        )
    elif _leftover(stream, it.offset, size):
        yield Failure(
            source=f"{path}@{it.offset}",
            reason="truncated: the file ends inside this record; copy or download it again",
        )
    return None


def _capture(record: Any, path: str, offset: int, max_bytes: int) -> _Capture | Failure | None:
    """The record as an HTML capture, a Failure if it is cut short, or None if no article."""
    where = f"{path}@{offset}"
    if record.rec_type is None:
        _drain(record)
        return Failure(source=where, reason="truncated or broken record: its WARC header is incomplete")
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    if http.get_statuscode() != "200":
        return None
    ctype = http.get_header("Content-Type") or ""
    media = ctype.split(";")[0].strip().lower()
    if media and media not in HTML_TYPES:
        return None
    payload = record.content_stream().read(max_bytes + 1)
    complete = _drain(record)
    if not complete:
        return Failure(source=where, reason="truncated record: its data ends before its Content-Length")
    if len(payload) > max_bytes:
        return Failure(source=where, reason=f"page larger than {max_bytes:,} bytes; skipped")
    if not media and payload.lstrip()[:1] != b"<":
        return None  # no declared type and not markup
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if not digest:
        digest = "sha1-decoded:" + hashlib.sha1(payload).hexdigest()
    charset = None
    if "charset=" in ctype.lower():
        charset = ctype.lower().split("charset=")[1].split(";")[0].strip(" \"'") or None
    date = record.rec_headers.get_header("WARC-Date")
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return _Capture(offset, uri, date[:10] if date else None, payload, charset, digest)


def _drain(record: Any) -> bool:
    """Read the rest of the record's block; False if the file ended before its length."""
    raw = record.raw_stream
    while raw.read(CHUNK):
        pass
    return getattr(raw, "limit", 0) <= 0


def _misaligned(it: _Iterator, path: str) -> Iterator[Failure]:
    while it.misaligned:
        at = it.misaligned.pop(0)
        yield Failure(source=f"{path}@{at}", reason="record length does not match its Content-Length")


def _reason(exc: BaseException, mode: str, *, last: bool = False) -> str:
    """One line for a record warcio could not read; `last` when no record follows it."""
    if isinstance(exc, EOFError) or "ended before" in str(exc):
        return "truncated gzip: the compressed data ends early; copy or download the file again"
    detail = " ".join(str(exc).split())[:120]
    if last:
        return f"truncated or broken record at the end of the file ({detail}); copy or download it again"
    if isinstance(exc, zlib.error | gzip.BadGzipFile):
        return f"corrupt gzip data ({detail}); skipped to the next record"
    rest = "the rest of the file is skipped" if mode == "stream" else "skipped to the next record"
    return f"broken record ({detail}); {rest}"


def _resync(f: BinaryIO, mode: str, pos: int) -> int | None:
    """The offset of the next thing that looks like a record start after `pos`, or None."""
    marker, shift = (GZIP_MAGIC + b"\x08", 0) if mode == "members" else (_WARC_LINE, 1)
    carry = b""
    base = pos
    while True:
        try:
            f.seek(base)
            chunk = f.read(CHUNK)
        except OSError:
            return None
        if not chunk:
            return None
        buf = carry + chunk
        i = buf.find(marker)
        if i >= 0:
            return base - len(carry) + i + shift
        carry = buf[-(len(marker) - 1) :]
        base += len(chunk)


def _leftover(f: BinaryIO, end: int, size: int) -> bool:
    """Whether anything but blank lines follows the last whole record."""
    if end >= size:
        return False
    f.seek(end)
    return bool(f.read(CHUNK).strip())


def _stream_tail(gz: BinaryIO, path: str, end: int) -> Iterator[Failure]:
    """In a whole-file gzip, warcio stops quietly at a cut; reading on tells a cut from an end."""
    try:
        rest = gz.read(CHUNK)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        yield Failure(source=f"{path}@{end}", reason=_reason(exc, "stream"))
        return
    if rest.strip():
        yield Failure(source=f"{path}@{end}", reason="truncated: the file ends inside this record")
