"""The batch commands: `tally batch` (inputs to Parquet, locally or on Spark) and `tally load`.

Registered on `tally.cli.main`. Each is a short shell over `tally.batch`: failures are
printed one line each as they are met, a summary line ends the run, Tally errors exit 2
and a run in which any input failed exits 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from tally.cli import main
from tally.errors import TallyError


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except TallyError as exc:
        click.echo(f"tally: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet files.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True)
@click.option("--master", help="Spark master URL, e.g. spark://host:7077 [default: local[WORKERS]].")
@click.option("--partitions", type=click.IntRange(min=1), help="Spark partitions [default: 4 per core].")
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(min=1),
    help="Processes (or Spark local cores) [default: all cores].",
)
@click.option("--no-prefilter", is_flag=True, help="Parse every document, even those with no domain word.")
def batch(
    inputs: tuple[str, ...],
    out: str,
    engine: str,
    master: str | None,
    partitions: int | None,
    workers: int | None,
    no_prefilter: bool,
) -> None:
    """Extract figures from INPUTS (files, folders, .warc, feeds, URLs) into Parquet in OUT."""
    from tally import batch as batch_lib

    def echo(failure: object) -> None:
        click.echo(failure.line(), err=True)  # type: ignore[attr-defined]

    with _errors():
        m = batch_lib.run(
            inputs,
            out,
            engine=engine,
            workers=workers,
            partitions=partitions,
            master=master,
            prefilter=not no_prefilter,
            on_failure=echo,
        )
    secs = m.timings.get("total_s", 0.0)
    rate = m.documents / secs if secs else 0.0
    where = m.master if engine == "spark" else f"{m.workers} workers"
    click.echo(
        f"tally: {m.documents} documents, {m.figures} figures, {m.failed} failed in {secs:.1f} s "
        f"({rate:.1f} documents/s, {engine} engine, {where}) -> {out}",
        err=True,
    )
    sys.exit(1 if m.failures else 0)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@click.option("--db", help="Store: SQLite file or postgresql:// URL [env TALLY_DB; ./tally.db].")
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file (default: ./tally.toml).")
def load(directory: str, db: str | None, config: str | None) -> None:
    """Put the batch in DIRECTORY (from `tally batch`) into the store; loading twice adds nothing."""
    from tally import settings, store
    from tally.batch.load import load as load_batch

    with _errors():
        conf = settings.load({"db": db}, config=config)
        with store.open(conf.db) as st:
            summary = load_batch(directory, st)
            url = st.url
    c = summary.counts
    click.echo(
        f"tally: run {summary.run_id}: {c.documents} documents ({c.new} new, {c.updated} updated, "
        f"{c.unchanged} unchanged, {c.skipped} skipped, {c.failed} failed in the batch), "
        f"{c.figures} figures stored in {url}",
        err=True,
    )
    sys.exit(1 if any(f.stage == "store" for f in summary.failures) else 0)
