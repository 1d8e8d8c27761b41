"""The Spark engine: the same splits and the same per-document function, on pyspark.

This is the only module that imports pyspark (lazily, so Tally works without it). The plan's
splits are parallelised in order over `partitions` partitions; `mapPartitionsWithIndex` runs
each partition in a Python worker, which reads and processes its splits and writes its rows
to an Arrow part file in the batch folder. The pipeline is built once per worker machine:
Spark forks its Python workers from a daemon process, and Tally's daemon (this module run
as `python -m`) loads the spaCy model before it forks, so no partition pays for it.
The driver merges the parts in partition order, which is plan order: the output is the
local engine's, byte for byte.

Spark runs in local mode (`local[N]`) unless a master URL is given. Against a cluster, the
inputs and the output folder must be on storage every executor sees (NFS, a mounted
bucket), and Tally must be installed on the executors.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tally.batch.parquet import PartWriter
from tally.batch.splits import Split
from tally.batch.work import peak_rss, warm, work
from tally.errors import ConfigError
from tally.model import Failure

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL_HINT = "pip install 'tally[spark]'"
# Partitions per core when none are asked for: several, so a slow partition does not leave
# the other cores idle at the end of the run.
PARTITIONS_PER_CORE = 4
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark: %p %c{1}: %m%n
# Spark prints "Setting default log level" unless the shell logger's level is the root's.
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
"""


@dataclass(slots=True)
class PartResult:
    """What one partition did: its part files' stem, its failures in order, and its worker."""

    index: int
    part: str
    failures: list[Failure] = field(default_factory=list)
    documents: int = 0
    pid: int = 0
    peak_rss: int = 0


def _pyspark() -> Any:
    try:
        import pyspark
    except ImportError as exc:
        raise ConfigError(f"the Spark engine needs pyspark, which is not installed: {INSTALL_HINT}") from exc
    return pyspark


def java_home() -> str:
    """JAVA_HOME as set, or found from the `java` on PATH; ConfigError if there is none."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is None:
        raise ConfigError(
            "the Spark engine needs a Java runtime (17 or later): install one "
            "(Debian: apt-get install default-jre-headless) or set JAVA_HOME"
        )
    return str(Path(os.path.realpath(java)).parent.parent)


def session(master: str = "local[2]", *, app: str = "tally-batch") -> SparkSession:
    """A Spark session for Tally: quiet logs, no web UI, loopback only in local mode."""
    _pyspark()
    from pyspark.sql import SparkSession

    os.environ["JAVA_HOME"] = java_home()
    local = master.startswith("local")
    if local:
        # Bind the local driver to loopback: works offline, and no hostname lookup warning.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Workers run this Python (SparkContext reads the variable, not spark.pyspark.python),
        # so they import this Tally and its models.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    log4j = Path(tempfile.gettempdir()) / f"tally-spark-log4j2-{os.getuid()}.properties"
    log4j.write_text(_LOG4J)
    java_opts = f"-Dlog4j2.configurationFile=file:{log4j}"
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", java_opts)
        .config("spark.executor.extraJavaOptions", java_opts)
        .config("spark.python.worker.reuse", "true")
        # Spark forks each Python worker from a daemon; ours builds the pipeline first, so
        # every worker starts with the spaCy model loaded (as the local engine's pool does).
        .config("spark.python.daemon.module", "tally.batch.spark")
    )
    if local:
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(
    splits: list[Split],
    parts_dir: Path,
    *,
    spark: SparkSession,
    partitions: int | None,
    prefilter: bool,
    max_bytes: int,
) -> Iterator[PartResult]:
    """Process the splits on `spark`; yield each partition's result in partition order."""
    sc = spark.sparkContext
    if not splits:
        return
    n = partitions or PARTITIONS_PER_CORE * sc.defaultParallelism
    n = max(1, min(n, len(splits)))
    parts_dir.mkdir(parents=True, exist_ok=True)
    task = partial(_partition, parts_dir=str(parts_dir), prefilter=prefilter, max_bytes=max_bytes)
    results: list[PartResult] = sc.parallelize(splits, n).mapPartitionsWithIndex(task).collect()
    yield from sorted(results, key=lambda r: r.index)


def _partition(
    index: int, splits: Iterator[Split], *, parts_dir: str, prefilter: bool, max_bytes: int
) -> Iterator[PartResult]:
    """In a Spark worker: work every split of this partition, stream its rows to part files,
    and report back (the pipeline is already built: see `_daemon`)."""
    warm()
    stem = Path(parts_dir) / f"part-{index:05d}"
    result = PartResult(index=index, part=str(stem), pid=os.getpid())
    part = PartWriter(stem)
    for split in splits:
        for outcome in work(split, prefilter=prefilter, max_bytes=max_bytes).outcomes:
            if isinstance(outcome, Failure):
                result.failures.append(outcome)
            else:
                part.add(outcome)
    part.close()
    result.documents = part.documents
    result.peak_rss = peak_rss()
    yield result


def _daemon() -> None:
    """Spark's Python daemon, with the pipeline built before it forks any worker.

    The daemon tells the JVM its port on stdout, so nothing else may be written there.
    """
    import contextlib

    with contextlib.redirect_stdout(sys.stderr):
        warm()
    from pyspark import daemon

    daemon.manager()


if __name__ == "__main__":
    _daemon()
