"""The `tally` command: a thin shell over the library.

Each command is a short call into one stage; only this module turns Tally errors
into messages on stderr and exit codes.
"""

from __future__ import annotations

import json
import sys

import click

from tally import __version__


@click.group()
@click.version_option(__version__, prog_name="tally")
def main() -> None:
    """Tally: a sourced ledger of figures about foreign fighters, read from the news."""


@main.command()
@click.option("--lang", default="en", show_default=True, help="Language of the expressions (en, fr).")
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
