"""The batch output: `documents.parquet`, `figures.parquet` and `manifest.json` in one folder.

Rows arrive in plan order (the local engine streams them, Spark's partitions are merged in
order) and are written in row groups of a fixed size, so the files do not depend on how
the work was cut: two engines that processed the same input write the same bytes.

`documents` has a row per document (`seq` is its position in the batch) with its metadata,
`text_hash` (the store's document key), `raw_hash`, `n_figures` and the cleaned `text` that
figure offsets point into (`tally load` needs it). `figures` has every Figure field, plus
`seq` (its document) and `ordinal` (its place among that document's figures). Files are
written under temporary names and renamed at the end; the manifest, written last, marks a
finished batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from tally.batch.work import Done, Outcome
from tally.errors import TallyError
from tally.model import Failure, Figure

DOCUMENTS = "documents.parquet"
FIGURES = "figures.parquet"
MANIFEST = "manifest.json"
# Rows per row group: fixed, so the files do not depend on how rows arrived.
ROW_GROUP = 8192
# Documents a Spark partition buffers before writing them to its part file.
PART_BATCH = 512
COMPRESSION = "zstd"

_S = pa.string()
DOCUMENT_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("doc_id", _S),
        ("source", _S),
        ("url", _S),
        ("title", _S),
        ("published", _S),
        ("outlet", _S),
        ("lang", _S),
        ("text_hash", _S),
        ("raw_hash", _S),
        ("n_figures", pa.int32()),
        ("text", pa.large_string()),
    ]
)
_FIGURE_TYPES = {"value": pa.float64(), "low": pa.float64(), "high": pa.float64()}
_FIGURE_INTS = {"start", "end", "quote_start", "quote_end"}
FIGURE_FIELDS = [f.name for f in fields(Figure)]
FIGURE_SCHEMA = pa.schema(
    [("seq", pa.int64()), ("ordinal", pa.int32())]
    + [(n, _FIGURE_TYPES.get(n, pa.int64() if n in _FIGURE_INTS else _S)) for n in FIGURE_FIELDS]
)


def document_row(done: Done, seq: int) -> dict[str, Any]:
    d = done.doc
    return {
        "seq": seq,
        "doc_id": d.doc_id,
        "source": d.source,
        "url": d.url,
        "title": d.title,
        "published": d.published,
        "outlet": d.outlet,
        "lang": d.lang,
        "text_hash": done.text_hash,
        "raw_hash": done.raw_hash,
        "n_figures": len(done.figures),
        "text": d.text,
    }


def figure_rows(done: Done, seq: int) -> list[dict[str, Any]]:
    return [
        {"seq": seq, "ordinal": i, **{n: getattr(f, n) for n in FIGURE_FIELDS}}
        for i, f in enumerate(done.figures)
    ]


class _Table:
    """One output table: rows buffered and written a full row group at a time."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.schema = schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.writer = pq.ParquetWriter(self.tmp, schema, compression=COMPRESSION)

    def extend(self, rows: list[dict[str, Any]]) -> None:
        self.rows.extend(rows)
        while len(self.rows) >= ROW_GROUP:
            self._flush(self.rows[:ROW_GROUP])
            del self.rows[:ROW_GROUP]

    def _flush(self, rows: list[dict[str, Any]]) -> None:
        self.writer.write_table(pa.Table.from_pylist(rows, schema=self.schema), row_group_size=ROW_GROUP)
        self.count += len(rows)

    def close(self, *, keep: bool) -> None:
        if keep and self.rows:
            self._flush(self.rows)
        self.rows = []
        self.writer.close()
        if keep:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


class BatchWriter:
    """Writes outcomes, in order, into a batch folder; `close` returns the counts."""

    def __init__(self, out: str | Path, on_failure: Callable[[Failure], None] | None = None) -> None:
        self.out = Path(out)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / MANIFEST).unlink(missing_ok=True)  # no longer a finished batch
        except OSError as exc:
            raise TallyError(f"cannot write the batch folder {self.out}: {exc.strerror or exc}") from exc
        self.documents = _Table(self.out / DOCUMENTS, DOCUMENT_SCHEMA)
        self.figures = _Table(self.out / FIGURES, FIGURE_SCHEMA)
        self.failures: list[Failure] = []
        self.on_failure = on_failure

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Failure):
            self.add_failure(outcome)
            return
        seq = self.documents.count + len(self.documents.rows)
        self.documents.extend([document_row(outcome, seq)])
        self.figures.extend(figure_rows(outcome, seq))

    def add_failure(self, failure: Failure) -> None:
        self.failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def add_part(self, stem: Path) -> None:
        """Append a part written by a PartWriter, renumbering its documents after ours."""
        base = self.n_documents
        for table, out in (("documents", self.documents), ("figures", self.figures)):
            for rows in read_part(stem, table):
                for row in rows:
                    row["seq"] += base
                out.extend(rows)

    @property
    def n_documents(self) -> int:
        return self.documents.count + len(self.documents.rows)

    @property
    def n_figures(self) -> int:
        return self.figures.count + len(self.figures.rows)

    def close(self, manifest: dict[str, Any] | None) -> None:
        """Finish the files; with a manifest the batch is complete, without one it is dropped."""
        keep = manifest is not None
        self.documents.close(keep=keep)
        self.figures.close(keep=keep)
        if manifest is not None:
            tmp = self.out / f".{MANIFEST}.tmp"
            tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            os.replace(tmp, self.out / MANIFEST)


class PartWriter:
    """One Spark partition's rows, streamed to two Arrow IPC files as they come (documents
    numbered from 0 within the part), so a partition of any size fits in a worker."""

    def __init__(self, stem: Path) -> None:
        self.paths = [Path(f"{stem}.{name}.arrow") for name in ("documents", "figures")]
        self.tmps = [p.with_name(f".{p.name}.tmp") for p in self.paths]
        self.sinks = [pa.OSFile(str(t), "wb") for t in self.tmps]
        self.writers = [
            ipc.new_stream(sink, schema)
            for sink, schema in zip(self.sinks, (DOCUMENT_SCHEMA, FIGURE_SCHEMA), strict=True)
        ]
        self.rows: list[list[dict[str, Any]]] = [[], []]
        self.documents = 0

    def add(self, done: Done) -> None:
        self.rows[1].extend(figure_rows(done, self.documents))
        self.rows[0].append(document_row(done, self.documents))
        self.documents += 1
        if len(self.rows[0]) >= PART_BATCH:
            self._flush()

    def _flush(self) -> None:
        for writer, rows, schema in zip(
            self.writers, self.rows, (DOCUMENT_SCHEMA, FIGURE_SCHEMA), strict=True
        ):
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        self.rows = [[], []]

    def close(self) -> None:
        self._flush()
        for writer, sink, tmp, path in zip(self.writers, self.sinks, self.tmps, self.paths, strict=True):
            writer.close()
            sink.close()
            os.replace(tmp, path)


def read_part(stem: Path, table: str) -> Iterator[list[dict[str, Any]]]:
    """The rows of one table of a part, a record batch at a time."""
    with pa.memory_map(f"{stem}.{table}.arrow") as source:
        for batch in ipc.open_stream(source):
            yield batch.to_pylist()
