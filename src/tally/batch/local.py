"""The local engine: a pool of worker processes on this machine, one split per task.

The pipeline is built once in the parent before the pool forks, so workers start with the
spaCy model already loaded (shared copy-on-write) instead of loading it each. Results come
back in plan order (`imap`), so the writer streams them straight to Parquet.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from functools import partial

from tally.batch.splits import Split
from tally.batch.work import SplitResult, warm, work


def run(splits: Iterable[Split], *, workers: int, prefilter: bool, max_bytes: int) -> Iterator[SplitResult]:
    """Each split's result, in order; `workers` 1 runs in this process (no pool)."""
    warm()
    task = partial(work, prefilter=prefilter, max_bytes=max_bytes)
    if workers <= 1:
        yield from map(task, splits)
        return
    # fork shares the warmed pipeline; where fork is missing, spawn warms each worker.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    ctx = multiprocessing.get_context(method)
    init = None if method == "fork" else warm
    with ctx.Pool(workers, initializer=init) as pool:
        yield from pool.imap(task, splits, chunksize=1)
