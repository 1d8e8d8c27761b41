"""Batch runs: map the per-document pipeline over many inputs, write Parquet, load it later.

`run(inputs, out, engine=...)` plans the inputs into splits (splits.py), has an engine work
them (local.py: a process pool; spark.py: pyspark), and writes `documents.parquet`,
`figures.parquet` and `manifest.json` into `out` (parquet.py). Every engine maps the same
function, `tally.pipeline.process`, over the same plan, so their outputs are identical.
`load(out, store)` puts a finished batch into the ledger's store (load.py).

A bad document is a failure in the manifest, never the end of the run; the run's summary
says how many there were.
"""

from __future__ import annotations

import os
import platform
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tally
from tally.batch.parquet import MANIFEST, BatchWriter
from tally.batch.splits import SPLIT_DOCS, Split, plan
from tally.errors import ConfigError, InputError
from tally.ingest import DEFAULT_MAX_BYTES
from tally.ingest.url import Fetcher
from tally.model import Failure

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["ENGINES", "Manifest", "load", "run"]

ENGINES = ("local", "spark")


@dataclass(slots=True)
class Manifest:
    """What a batch run was and did; saved as manifest.json beside the Parquet files."""

    version: str
    engine: str
    inputs: list[str]
    workers: int
    master: str | None = None
    partitions: int | None = None
    prefilter: bool = True
    documents: int = 0
    figures: int = 0
    failed: int = 0
    splits: int = 0
    failures: list[Failure] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    worker_stats: list[dict[str, int]] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    python: str = field(default_factory=platform.python_version)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def peak_rss(self) -> int:
        """The largest peak resident memory of any worker, in bytes."""
        return max((w["peak_rss"] for w in self.worker_stats), default=0)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        known = {f for f in cls.__dataclass_fields__}
        m = cls(**{k: v for k, v in data.items() if k in known})
        m.failures = [Failure(**f) for f in data.get("failures", [])]
        return m


def run(
    inputs: Iterable[str],
    out: str | Path,
    *,
    engine: str = "local",
    workers: int | None = None,
    partitions: int | None = None,
    master: str | None = None,
    prefilter: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetcher: Fetcher | None = None,
    spark: SparkSession | None = None,
    split_docs: int = SPLIT_DOCS,
    on_failure: Callable[[Failure], None] | None = None,
) -> Manifest:
    """Process every input with `engine` and write the batch into `out`; return its manifest.

    `workers` defaults to the machine's cores (for Spark in local mode, `local[workers]`);
    `master` and `partitions` are Spark's. `spark` is an open session to use (and leave
    open) instead of starting one. `on_failure` is called for each failure as it is met.
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if master and engine != "spark":
        raise ConfigError("--master names a Spark cluster: use it with --engine spark")
    inputs = [str(p) for p in inputs]
    workers = workers or os.cpu_count() or 1
    manifest = Manifest(
        version=tally.__version__,
        engine=engine,
        inputs=inputs,
        workers=workers,
        master=master,
        partitions=partitions,
        prefilter=prefilter,
        started=_now(),
    )
    t0 = time.perf_counter()
    writer = BatchWriter(out, on_failure)
    stats: dict[int, dict[str, int]] = {}
    try:
        splits = plan(inputs, max_bytes=max_bytes, fetcher=fetcher, split_docs=split_docs)
        if engine == "local":
            _run_local(splits, writer, stats, manifest, max_bytes)
        else:
            _run_spark(list(splits), writer, stats, manifest, spark, max_bytes)
        t_write = time.perf_counter()
        manifest.documents, manifest.figures = writer.n_documents, writer.n_figures
        manifest.failures = writer.failures
        manifest.failed = len(writer.failures)
        manifest.worker_stats = [{"pid": pid, **s} for pid, s in sorted(stats.items())]
        manifest.finished = _now()
        manifest.timings["total_s"] = round(time.perf_counter() - t0, 3)
        writer.close(manifest.as_dict())
        manifest.timings["close_s"] = round(time.perf_counter() - t_write, 3)
    except BaseException:
        writer.close(None)
        raise
    return manifest


def _run_local(
    splits: Iterable[Split],
    writer: BatchWriter,
    stats: dict[int, dict[str, int]],
    m: Manifest,
    max_bytes: int,
) -> None:
    from tally.batch import local

    t0 = time.perf_counter()
    for result in local.run(
        _counted(splits, m), workers=m.workers, prefilter=m.prefilter, max_bytes=max_bytes
    ):
        for outcome in result.outcomes:
            writer.add(outcome)
        _worker(stats, result.pid, result.peak_rss, sum(not isinstance(o, Failure) for o in result.outcomes))
    m.timings["process_s"] = round(time.perf_counter() - t0, 3)


def _counted(splits: Iterable[Split], m: Manifest) -> Iterable[Split]:
    for split in splits:
        m.splits += 1
        yield split


def _run_spark(
    splits: list[Split],
    writer: BatchWriter,
    stats: dict[int, dict[str, int]],
    m: Manifest,
    spark: SparkSession | None,
    max_bytes: int,
) -> None:
    from tally.batch import spark as engine

    m.splits = len(splits)
    t0 = time.perf_counter()
    own = spark is None
    if spark is None:
        spark = engine.session(m.master or f"local[{m.workers}]")
    m.timings["session_s"] = round(time.perf_counter() - t0, 3)
    sc = spark.sparkContext
    m.master = sc.master
    m.workers = sc.defaultParallelism
    parts = writer.out / "_parts"
    try:
        t1 = time.perf_counter()
        results = list(
            engine.run(
                splits,
                parts,
                spark=spark,
                partitions=m.partitions,
                prefilter=m.prefilter,
                max_bytes=max_bytes,
            )
        )
        m.timings["process_s"] = round(time.perf_counter() - t1, 3)
        m.partitions = len(results)
        t2 = time.perf_counter()
        for r in results:
            writer.add_part(Path(r.part))
            for failure in r.failures:
                writer.add_failure(failure)
            _worker(stats, r.pid, r.peak_rss, r.documents)
        m.timings["merge_s"] = round(time.perf_counter() - t2, 3)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
        if own:
            spark.stop()


def _worker(stats: dict[int, dict[str, int]], pid: int, rss: int, docs: int) -> None:
    s = stats.setdefault(pid, {"peak_rss": 0, "documents": 0})
    s["peak_rss"] = max(s["peak_rss"], rss)
    s["documents"] += docs


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_manifest(folder: str | Path) -> Manifest:
    """The manifest of a finished batch; InputError if `folder` holds none."""
    import json

    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            f"{folder} is not a finished batch: it has no {MANIFEST} (run `tally batch` first)"
        ) from exc
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    return Manifest.from_dict(data)


def load(folder: str | Path, store: Any, **kw: Any) -> Any:
    """Put a finished batch into the store (see load.py); idempotent."""
    from tally.batch.load import load as _load

    return _load(folder, store, **kw)
