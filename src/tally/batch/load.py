"""`tally load DIR`: put a finished batch into the ledger's store, idempotently.

Nothing is extracted again: each row of documents.parquet becomes the store Entry that
`tally ingest` would have written for it, with its figures from figures.parquet (both are
ordered by `seq`, so they are read side by side, a row group at a time). The store keys a
document by the hash of its normalised text and keeps the Tally version that extracted it,
so loading a batch twice, or a batch whose documents were ingested before, adds nothing;
a batch made by a newer Tally replaces older figures. The run's failures are recorded as
the load run's errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from tally.batch import read_manifest
from tally.batch.parquet import DOCUMENTS, FIGURE_FIELDS, FIGURES
from tally.errors import InputError, StoreError
from tally.ledger import RunSummary, outlet_of
from tally.model import Doc, Failure, Figure
from tally.store import Entry, RunCounts, Store
from tally.store.records import normalise_text
from tally.store.stories import StoryIndex, signature

# Rows read from each Parquet file at a time.
BATCH_ROWS = 2048


def load(
    folder: str | Path,
    store: Store,
    *,
    on_item: Callable[[str, Failure | None], None] | None = None,
) -> RunSummary:
    """Store every document and figure of the batch in `folder`; `on_item(status, failure)`
    follows each document (new, updated, unchanged, skipped or failed)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    version = manifest.version
    run_id = store.start_run([str(folder)], version=version, workers=1)
    summary = RunSummary(run_id, RunCounts())
    index = StoryIndex.load(store.story_rows())
    known = store.known_inputs()
    for failure in manifest.failures:
        _count(summary, "failed", failure, store, on_item)
    for doc_row, figs in _documents(folder):
        if doc_row["raw_hash"] and known.get(doc_row["raw_hash"]) == version:
            _count(summary, "skipped", None, store, on_item)
            continue
        is_new = doc_row["text_hash"] not in index
        entry = _entry(doc_row, figs, version, index)
        try:
            status = store.write(run_id, entry)
        except StoreError as exc:
            if is_new:
                index.forget(entry.key)
            failure = Failure(source=entry.doc.source, reason=str(exc), stage="store")
            _count(summary, "failed", failure, store, on_item)
            continue
        if status != "unchanged":
            summary.counts.figures += len(entry.figures)
        _count(summary, status, None, store, on_item)
    store.finish_run(run_id, summary.counts)
    return summary


def _count(
    summary: RunSummary,
    status: str,
    failure: Failure | None,
    store: Store,
    on_item: Callable[[str, Failure | None], None] | None,
) -> None:
    counts = summary.counts
    counts.documents += 1
    setattr(counts, status, getattr(counts, status) + 1)  # every status is a RunCounts field
    if failure is not None:
        summary.failures.append(failure)
        store.record_failure(summary.run_id, failure)
    if on_item is not None:
        on_item(status, failure)


def _entry(row: dict[str, Any], figs: list[dict[str, Any]], version: str, index: StoryIndex) -> Entry:
    doc = Doc(
        doc_id=row["doc_id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
        outlet=row["outlet"],
        lang=row["lang"],
    )
    figures = [Figure(**{n: f[n] for n in FIGURE_FIELDS}) for f in figs]
    sig = signature(normalise_text(doc.text), normalised=True)
    key = row["text_hash"]
    return Entry(
        key=key,
        doc=doc,
        figures=figures,
        version=version,
        raw_hash=row["raw_hash"],
        outlet=outlet_of(doc),
        story=index.assign(key, sig),
        signature=sig,
    )


def _documents(folder: Path) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each document row with its figure rows, both files read in step by `seq`."""
    try:
        docs = pq.ParquetFile(folder / DOCUMENTS)
        figs = pq.ParquetFile(folder / FIGURES)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the batch in {folder}: {exc}") from exc
    fig_rows = (r for batch in figs.iter_batches(BATCH_ROWS) for r in batch.to_pylist())
    pending = next(fig_rows, None)
    for batch in docs.iter_batches(BATCH_ROWS):
        for row in batch.to_pylist():
            mine = []
            while pending is not None and pending["seq"] == row["seq"]:
                mine.append(pending)
                pending = next(fig_rows, None)
            yield row, mine
