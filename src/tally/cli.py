"""The `tally` command: a thin shell over the library.

Each command is a short call into one stage; only this module turns Tally errors
into messages on stderr and exit codes.
"""

from __future__ import annotations

import json
import sys

import click

from tally import __version__
from tally.extract.lexicon import LANGS


@click.group()
@click.version_option(__version__, prog_name="tally")
def main() -> None:
    """Tally: a sourced ledger of figures about foreign fighters, read from the news."""


@main.command()
@click.option("--lang", default="en", show_default=True, help="Language of the expressions (en, fr, de).")
def numbers(lang: str) -> None:
    """Normalise number expressions: one per line on stdin, one JSON object per line out."""
    from tally.extract import numbers as num

    for line in sys.stdin:
        q = num.parse(line.strip(), lang=lang)
        out = (
            {"value": q.value, "low": q.low, "high": q.high, "qualifier": q.qualifier, "kind": q.kind}
            if q
            else {"value": None, "low": None, "high": None, "qualifier": None, "kind": None}
        )
        click.echo(json.dumps(out))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "table", "csv"]), default="table", show_default=True
)
@click.option("--lang", type=click.Choice(list(LANGS)), help="Force the language instead of detecting it.")
@click.option("--no-prefilter", is_flag=True, help="Parse every document, even those with no domain word.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal)."
)
def extract(
    paths: tuple[str, ...], fmt: str, lang: str | None, no_prefilter: bool, progress: bool | None
) -> None:
    """Print the figures found in PATHS (files, folders, .jsonl, or - for stdin)."""
    import time

    from tally import output, pipeline
    from tally.model import Failure

    out = sys.stdout
    writer: output.CsvWriter | output.TableWriter | None = None
    if fmt == "csv":
        writer = output.CsvWriter(out)
    elif fmt == "table":
        writer = output.TableWriter(out)
    show = sys.stderr.isatty() if progress is None else progress
    bar = _progress(show)
    docs = figs = failed = 0
    t0 = time.perf_counter()
    for item in pipeline.run(paths, lang=lang, prefilter=not no_prefilter):
        bar.update(1)
        if isinstance(item, Failure):
            failed += 1
            bar.clear()
            click.echo(item.line(), err=True)
            continue
        docs += 1
        figs += len(item.figures)
        if writer is None:
            output.write_jsonl(item.figures, out)
        else:
            writer.write(item.figures)
    bar.close()
    secs = time.perf_counter() - t0
    click.echo(f"tally: {docs} documents, {figs} figures, {failed} failed, {secs:.1f} s", err=True)
    if failed:
        sys.exit(1)


def _progress(show: bool):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(disable=not show, unit="doc", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


# The other commands live beside the stage they drive; importing them registers them.
from tally import cli_batch, cli_ledger, cli_watch, cli_web  # noqa: E402, F401
