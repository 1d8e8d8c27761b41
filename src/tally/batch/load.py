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
from tally.errors import InputError
from tally.ledger import Recorder, RunSummary
from tally.model import Doc, Failure, Figure
from tally.store import RunCounts, Store

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
    recorder = Recorder(store, summary, version, on_item)
    known = store.known_inputs()
    for failure in manifest.failures:
        recorder.failed(failure)
    for row, figs in _documents(folder):
        if row["raw_hash"] and known.get(row["raw_hash"]) == version:
            recorder.skipped(row["source"])
            continue
        recorder.document(
            _doc(row), [Figure(**{n: f[n] for n in FIGURE_FIELDS}) for f in figs], row["raw_hash"]
        )
    recorder.flush()
    store.finish_run(run_id, summary.counts)
    return summary


def _doc(row: dict[str, Any]) -> Doc:
    return Doc(
        doc_id=row["doc_id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
        outlet=row["outlet"],
        lang=row["lang"],
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
