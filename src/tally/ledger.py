"""The ledger's library calls: ingest inputs into a store, query, reconcile, export.

`ingest` maps the shared per-document function (`tally.pipeline.process`) over the
inputs, in worker processes when asked (extraction is CPU-bound), and writes from
the main process only, in small transactions of whole documents: a killed run keeps
everything it committed, and running it again skips what is stored (by the hash of
each raw input, before any cleaning) and finishes the rest.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tally
from tally import ingest as ingest_stage
from tally import pipeline
from tally.errors import StoreError, TallyError
from tally.model import Doc, Failure, Figure, RawDoc
from tally.reconcile import Entity, Series, as_of, reconcile, report_dict, resolve
from tally.reconcile import reports as reconcile_reports
from tally.store import Entry, RunCounts, Store, StoredFigure, document_key, raw_key, schema
from tally.store.records import normalise_text
from tally.store.stories import StoryIndex, signature

# Documents handed to a worker at a time: enough to amortise the hand-over, few enough
# that a killed run has little extracted but unwritten.
CHUNK = 4
# Documents per transaction, and the longest a processed document waits to be committed.
# Per-document commits cost more than writing the document; these bound what a kill loses.
COMMIT_EVERY = 32
COMMIT_SECONDS = 1.0
EXPORT_FORMATS = ("csv", "json", "parquet")


@dataclass(slots=True)
class _Skip:
    """An input already stored by this Tally version: nothing to do."""

    source: str


@dataclass(slots=True)
class _Done:
    """What a worker sends back for one input: the processed document, ready to write."""

    raw_hash: str
    doc: Doc
    figures: list[Figure]
    key: str
    signature: bytes | None


_Task = RawDoc | Failure | _Skip
_Outcome = _Done | Failure | _Skip


@dataclass(slots=True)
class RunSummary:
    """What an ingest did: its run id, counts, and each input that failed."""

    run_id: int
    counts: RunCounts
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def processed(raw: RawDoc) -> _Done | Failure:
    """Clean, extract and key one input, ready for a Recorder. A bad document is data."""
    try:
        result = pipeline.process(raw)
        if isinstance(result, Failure):
            return result
        return keyed(result.doc, result.figures, raw_key(raw.content, raw.fmt))
    except Exception as exc:
        return Failure(source=raw.source, reason=f"internal error: {exc!r}", stage="extract")


def keyed(doc: Doc, figures: list[Figure], raw_hash: str) -> _Done:
    """A processed document with its store key and, when it has figures, its story signature."""
    norm = normalise_text(doc.text)
    # Only documents with figures take part in reconciliation, so only they are placed
    # in stories; on general news most documents count no one, and skipping their
    # signatures keeps ingest close to extraction's speed.
    sig = signature(norm, normalised=True) if figures else None
    return _Done(raw_hash, doc, figures, document_key(norm, normalised=True), sig)


def _work(task: _Task) -> _Outcome:
    """In a worker: process one input (or pass on a skip or a read failure)."""
    return processed(task) if isinstance(task, RawDoc) else task


def _init_worker(store: Store) -> None:
    store.after_fork()


def _tasks(paths: list[str], known: dict[str, str], version: str) -> Iterator[_Task]:
    for item in ingest_stage.read(paths):
        if isinstance(item, RawDoc) and known.get(raw_key(item.content, item.fmt)) == version:
            yield _Skip(item.source)
        else:
            yield item


def outlet_of(doc: Doc) -> str | None:
    """The outlet a document came from: as the reader gave it, else the URL's host."""
    if doc.outlet:
        return doc.outlet
    if doc.url:
        host = urlsplit(doc.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def ingest(
    paths: Iterable[str],
    store: Store,
    *,
    workers: int = 1,
    on_item: Callable[[str, Failure | None], None] | None = None,
) -> RunSummary:
    """Read, process and store every input; `on_item(status, failure)` follows each one.

    Status is new, updated, unchanged, skipped or failed. Failures are stored as rows
    of the run and returned; they never stop it.
    """
    paths = [str(p) for p in paths]
    version = tally.__version__
    run_id = store.start_run(paths, version=version, workers=workers)
    summary = RunSummary(run_id, RunCounts())
    writer = Recorder(store, summary, version, on_item)
    tasks = _tasks(paths, store.known_inputs(), version)
    if workers > 1:
        ctx = multiprocessing.get_context("fork")  # workers inherit the loaded pipeline
        with ctx.Pool(workers, initializer=_init_worker, initargs=(store,)) as pool:
            for outcome in pool.imap(_work, tasks, chunksize=CHUNK):
                writer.add(outcome)
    else:
        for outcome in map(_work, tasks):
            writer.add(outcome)
    writer.flush()
    store.finish_run(run_id, summary.counts)
    return summary


class Recorder:
    """Writes the documents of one run into the store, counts them and records failures.

    Every way into the store (`ingest`, `tally load`, the web API's writes) goes through
    it. Outcomes are written in small batches: one transaction per COMMIT_EVERY
    documents or COMMIT_SECONDS, whichever comes first. A killed run loses at most the
    batch in flight, which the next run, finding it unstored, simply does again.
    `on_item(status, failure)` follows each document once its batch is written.
    """

    def __init__(
        self,
        store: Store,
        summary: RunSummary,
        version: str,
        on_item: Callable[[str, Failure | None], None] | None = None,
    ) -> None:
        self.store, self.summary, self.version, self.on_item = store, summary, version, on_item
        self.index = StoryIndex.load(store.story_rows())
        self.pending: list[tuple[_Outcome, Entry | None, bool]] = []
        self.since = time.monotonic()

    def document(self, doc: Doc, figures: list[Figure], raw_hash: str) -> None:
        self.add(keyed(doc, figures, raw_hash))

    def skipped(self, source: str) -> None:
        self.add(_Skip(source))

    def failed(self, failure: Failure) -> None:
        self.add(failure)

    def add(self, outcome: _Outcome) -> None:
        entry, is_new = None, False
        if isinstance(outcome, _Done):
            is_new = outcome.key not in self.index
            entry = Entry(
                key=outcome.key,
                doc=outcome.doc,
                figures=outcome.figures,
                version=self.version,
                raw_hash=outcome.raw_hash,
                outlet=outlet_of(outcome.doc),
                story=self.index.assign(outcome.key, outcome.signature),
                signature=outcome.signature,
            )
        self.pending.append((outcome, entry, is_new))
        if len(self.pending) >= COMMIT_EVERY or time.monotonic() - self.since >= COMMIT_SECONDS:
            self.flush()

    def flush(self) -> None:
        entries = [e for _o, e, _n in self.pending if e is not None]
        results = iter(self.store.write_many(self.summary.run_id, entries) if entries else [])
        stored: set[str] = set()
        lost: list[str] = []
        counts = self.summary.counts
        for outcome, entry, is_new in self.pending:
            failure: Failure | None = None
            if isinstance(outcome, _Skip):
                status = "skipped"
            elif isinstance(outcome, Failure):
                failure = outcome
            else:
                assert entry is not None
                result = next(results)
                if isinstance(result, StoreError):
                    failure = Failure(source=outcome.doc.source, reason=str(result), stage="store")
                    if is_new:
                        lost.append(entry.key)
                else:
                    status = result
                    stored.add(entry.key)
                    if status != "unchanged":
                        counts.figures += len(outcome.figures)
            if failure is not None:
                status = "failed"
                self.summary.failures.append(failure)
                self.store.record_failure(self.summary.run_id, failure)
            counts.documents += 1
            setattr(counts, status, getattr(counts, status) + 1)  # every status is a RunCounts field
            if self.on_item is not None:
                self.on_item(status, failure)
        for key in lost:
            if key not in stored:  # so no later document joins a story that was never stored
                self.index.forget(key)
        self.pending.clear()
        self.since = time.monotonic()


def count_inputs(paths: Iterable[str]) -> int:
    """How many files the inputs hold (for a progress total); hidden files are left out."""
    n = 0
    for p in map(Path, paths):
        if p.is_dir():
            for _root, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                n += sum(1 for name in names if not name.startswith("."))
        else:
            n += 1
    return n


def figures(
    store: Store,
    *,
    origin: str | None = None,
    status: str | None = None,
    since: int | None = None,
    source: str | None = None,
) -> list[StoredFigure]:
    """Stored figures matching every filter given; `since` is a year the figure speaks for."""
    found = store.figures(origin=origin, status=status, source=source)
    if since is None:
        return found
    out = []
    for sf in found:
        _date, year = as_of(sf.figure.period, sf.figure.published, sf.figure.quote)
        if year is not None and year >= since:
            out.append(sf)
    return out


def sources(store: Store) -> list[dict[str, Any]]:
    """Who the figures are attributed to, one row per source entity however it was spelled.

    Spellings resolve to entities (`tally.reconcile.entities`): "the Soufan Group" and
    "le cabinet Soufan" are one row; a generic description ("a security source") is a
    row of its own spelling; `stories` below `documents` shows copies.
    """
    groups: dict[str, list[StoredFigure]] = {}
    entities: dict[str, Entity | None] = {}
    for sf in store.figures():
        entity = resolve(sf.figure.source)
        key = entity.id if entity else ""
        entities[key] = entity
        groups.setdefault(key, []).append(sf)
    rows = []
    for key, group in groups.items():
        entity = entities[key]
        spellings = Counter(sf.figure.source for sf in group)
        dates = sorted(sf.figure.published for sf in group if sf.figure.published)
        rows.append(
            {
                "source": entity.name
                if entity and entity.kind == "named"
                else spellings.most_common(1)[0][0],
                "figures": len(group),
                "documents": len({sf.document for sf in group}),
                "stories": len({sf.story or sf.document for sf in group}),
                "outlets": len({sf.figure.outlet for sf in group if sf.figure.outlet}),
                "first": dates[0] if dates else None,
                "last": dates[-1] if dates else None,
                "spellings": sorted(s for s in spellings if s),
                "entity": entity.id if entity else None,
                "entity_name": entity.name if entity else None,
                "kind": entity.kind if entity else None,
                "languages": sorted({sf.figure.lang for sf in group if sf.figure.lang}),
            }
        )
    return sorted(rows, key=lambda r: (-r["figures"], r["source"] or "~"))


def series(store: Store, *, origin: str | None = None) -> list[Series]:
    """The reconciled series of the stored figures, for one origin or all."""
    return reconcile(store.figures(origin=origin))


def reports(store: Store, *, origin: str | None = None) -> list[dict[str, Any]]:
    """Every report (a source entity and a date window) with its figures, the outlets
    and languages that restated each and their mutations, as JSON-ready dicts; most
    restated first. Traced from the stored figures on every call (see
    `tally.reconcile.reports` for why nothing of it is stored)."""
    rows = [report_dict(r) for r in reconcile_reports(series(store, origin=origin))]
    return sorted(
        rows, key=lambda r: (-len(r["restated_by"]), r["entity_name"].casefold(), r["first"] or "~")
    )


def export(store: Store, directory: str | Path, fmt: str) -> list[Path]:
    """Write every table of the store into `directory` as csv, json or parquet; return the files."""
    if fmt not in EXPORT_FORMATS:
        raise TallyError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TallyError(f"cannot create the export folder {folder}: {exc}") from exc
    written = []
    for table in schema.TABLES:
        columns = [c.name for c in table.columns if c.name != "signature"]
        path = folder / f"{table.name}.{fmt}"
        _write_table(path, fmt, columns, store.rows(table.name))
        written.append(path)
    return written


def _write_table(path: Path, fmt: str, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "json":
        with path.open("w", encoding="utf-8") as fh:
            fh.write("[\n")
            for n, row in enumerate(rows):
                fh.write(("," if n else "") + json.dumps(row, ensure_ascii=False) + "\n")
            fh.write("]\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = list(rows)
        tbl = pa.Table.from_pylist(data) if data else pa.table({c: pa.array([], pa.null()) for c in columns})
        pq.write_table(tbl, path)
