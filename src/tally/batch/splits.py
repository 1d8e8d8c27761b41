"""Cutting a batch's inputs into splits: units of work a worker reads and processes alone.

The plan is made in one process (the driver) and fixes what every engine does: which
documents exist, in which order, and which split reads each. Workers then read their
splits in parallel, so the output is the same whatever engine, worker count or partition
count ran it; only the speed differs.

- Plain files (text, HTML, gzip, compressed JSON Lines) are grouped `SPLIT_DOCS` at a time
  and read with the same reader `tally extract` uses.
- An uncompressed JSON Lines file is cut into ranges of `SPLIT_DOCS` records at line
  boundaries, so one large export is processed in parallel.
- A web archive is scanned once here (warc.scan): the offsets of its HTML captures, with
  duplicate payloads dropped across the whole batch, are cut into groups of `SPLIT_DOCS`
  records that workers read by seeking.
- Feeds, URL lists, URLs and standard input are read here, through one fetcher, so that
  robots.txt and per-host pacing hold for the whole run; their documents travel inline.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tally import ingest
from tally.ingest import jsonl, warc
from tally.ingest.decode import SNIFF_BYTES, sniff_binary
from tally.ingest.files import GZIP_MAGIC, Found, name_parts, walk
from tally.ingest.url import Fetcher, FetcherSlot, is_url
from tally.model import Failure, RawDoc

# Documents (files, records, captures) per split: small enough that two workers share even
# a small archive, large enough that handing a split over costs little beside its work.
SPLIT_DOCS = 32


@dataclass(slots=True)
class FilesSplit:
    """Whole files, read as `tally extract` reads them."""

    files: list[Found] = field(default_factory=list)

    def items(self, max_bytes: int) -> Iterator[RawDoc | Failure]:
        for found in self.files:
            yield from ingest.read_found(found, max_bytes)


@dataclass(slots=True)
class LinesSplit:
    """Records of a JSON Lines file from byte `start` (a line start) to byte `end`."""

    path: str
    start: int
    end: int
    first_line: int

    def items(self, max_bytes: int) -> Iterator[RawDoc | Failure]:
        stem, _fmt = name_parts(self.path)
        try:
            with open(self.path, "rb") as f:
                f.seek(self.start)
                yield from jsonl.parse(self._lines(f, max_bytes), self.path, stem, max_bytes)
        except OSError as exc:
            yield Failure(source=self.path, reason=f"unreadable: {(exc.strerror or str(exc)).lower()}")

    def _lines(self, f: object, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
        """Numbered lines of the range; None for one over the size cap (as jsonl reads them)."""
        n = self.first_line
        pos = self.start
        while pos < self.end:
            line = f.readline(max_bytes + 1)  # type: ignore[attr-defined]
            if not line:
                return
            pos += len(line)
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while True:
                    rest = f.readline(1 << 20)  # type: ignore[attr-defined]
                    pos += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield n, None
            else:
                yield n, line
            n += 1


@dataclass(slots=True)
class ArchiveSplit:
    """Captures of one web archive, by record offset (from warc.scan)."""

    path: str
    offsets: list[int]

    def items(self, max_bytes: int) -> Iterator[RawDoc | Failure]:
        stem, _fmt = name_parts(self.path)
        yield from warc.read_at(self.path, stem, self.offsets, max_bytes)


@dataclass(slots=True)
class InlineSplit:
    """Documents (and failures) the planner read itself: fetched pages, feed entries, stdin."""

    docs: list[RawDoc | Failure]

    def items(self, max_bytes: int) -> Iterator[RawDoc | Failure]:
        yield from self.docs


Split = FilesSplit | LinesSplit | ArchiveSplit | InlineSplit


def plan(
    inputs: Iterable[str],
    *,
    max_bytes: int = ingest.DEFAULT_MAX_BYTES,
    fetcher: Fetcher | None = None,
    split_docs: int = SPLIT_DOCS,
) -> Iterator[Split]:
    """The splits of `inputs`, in input order (lazily: archives are scanned as they come)."""
    slot = FetcherSlot(fetcher)
    seen: set[str] = set()
    files = FilesSplit()
    try:
        for item in walk(inputs):
            if isinstance(item, Found) and _is_plain_file(item.path):
                files.files.append(item)
                if len(files.files) >= split_docs:
                    yield files
                    files = FilesSplit()
                continue
            if files.files:
                yield files
                files = FilesSplit()
            if isinstance(item, Failure):
                yield InlineSplit([item])
            elif name_parts(item.path)[1] == "warc":
                yield from _archive(item.path, max_bytes, seen, split_docs)
            elif name_parts(item.path)[1] == "jsonl" and not _gzip(item.path):
                yield from _lines(item, max_bytes, split_docs)
            else:
                yield from _inline(item, max_bytes, slot, split_docs)
        if files.files:
            yield files
    finally:
        slot.close()


def _is_plain_file(path: str) -> bool:
    """Files a worker reads on its own: not URLs, stdin, archives, JSON Lines or feeds."""
    if path == "-" or is_url(path):
        return False
    fmt = name_parts(path)[1]
    return fmt not in ("warc", "feed", "urls", "xml") and not (fmt == "jsonl" and not _gzip(path))


def _gzip(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(2) == GZIP_MAGIC
    except OSError:
        return False  # the reader reports it


def _archive(path: str, max_bytes: int, seen: set[str], split_docs: int) -> Iterator[Split]:
    offsets: list[int] = []
    for item in warc.scan(path, max_bytes, seen):
        if isinstance(item, Failure):
            if offsets:
                yield ArchiveSplit(path, offsets)
                offsets = []
            yield InlineSplit([item])
            continue
        offsets.append(item)
        if len(offsets) >= split_docs:
            yield ArchiveSplit(path, offsets)
            offsets = []
    if offsets:
        yield ArchiveSplit(path, offsets)


def _lines(found: Found, max_bytes: int, split_docs: int) -> Iterator[Split]:
    """Cut a JSON Lines file every `split_docs` non-blank lines; odd files go whole."""
    try:
        size = os.path.getsize(found.path)
        f = open(found.path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        yield FilesSplit([found])  # the reader says why
        return
    with f:
        if size == 0 or sniff_binary(f.read(SNIFF_BYTES)):  # the reader's one failure says why
            yield FilesSplit([found])
            return
        f.seek(0)
        start = pos = 0
        first = line_no = 1
        records = 0
        at_start = True
        # readline in pieces of at most 1 MiB: a longer line arrives in several pieces.
        for piece in iter(lambda: f.readline(1 << 20), b""):
            if at_start and piece.strip():
                if records >= split_docs:  # cut before a record, never inside one
                    yield LinesSplit(found.path, start, pos, first)
                    start, first, records = pos, line_no, 0
                records += 1
            pos += len(piece)
            at_start = piece.endswith(b"\n")
            line_no += at_start
    yield LinesSplit(found.path, start, size, first)


def _inline(found: Found, max_bytes: int, slot: FetcherSlot, split_docs: int) -> Iterator[Split]:
    docs: list[RawDoc | Failure] = []
    if found.path == "-" or is_url(found.path):
        fetcher = slot.get() if is_url(found.path) else None
        items: Iterable[RawDoc | Failure] = ingest.read([found.path], max_bytes=max_bytes, fetcher=fetcher)
    else:
        items = ingest.read_found(found, max_bytes, slot=slot)
    for item in items:
        docs.append(item)
        if len(docs) >= split_docs:
            yield InlineSplit(docs)
            docs = []
    if docs:
        yield InlineSplit(docs)
