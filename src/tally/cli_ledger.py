"""The ledger's commands: ingest, db upgrade, figures, series, sources, export.

Registered on `tally.cli.main`. Each is a short shell over one call of the public
`tally.Ledger` (`tally.open`), `db upgrade` over the store itself; Tally errors become one line on stderr and exit code 2, and an ingest
in which any input failed exits 1. Heavy imports (SQLAlchemy, datasketch, pyarrow)
happen inside the commands so `tally --help` stays fast.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from tally.cli import main
from tally.errors import TallyError

if TYPE_CHECKING:
    from tally import Ledger
    from tally.store import Store

FORMATS = click.Choice(["table", "csv", "json"])


def _db_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--config", type=click.Path(dir_okay=False), help="TOML settings file (default: ./tally.toml)."
    )(fn)
    return click.option("--db", help="Store: SQLite file or postgresql:// URL [env TALLY_DB; ./tally.db].")(
        fn
    )


@contextmanager
def _errors() -> Iterator[None]:
    """Turn a Tally error into one line on stderr and exit code 2."""
    try:
        yield
    except TallyError as exc:
        click.echo(f"tally: {exc}", err=True)
        sys.exit(2)


def _open(db: str | None, config: str | None, *, upgrade: bool = True, **cli: Any) -> tuple[Store, Any]:
    from tally import settings, store

    conf = settings.load({"db": db, **cli}, config=config)
    return store.open(conf.db, upgrade=upgrade), conf


def _ledger(db: str | None, config: str | None, **cli: Any) -> tuple[Ledger, Any]:
    """The ledger the settings name (--db, $TALLY_DB, tally.toml, ./tally.db), and the settings."""
    import tally
    from tally import settings

    conf = settings.load({"db": db, **cli}, config=config)
    return tally.open(conf.db), conf


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    """Rows as a text table (only `columns`), CSV or JSON (every field)."""
    from tally.reconcile.report import table

    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else columns)
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(table(columns, [[r.get(c) for c in columns] for r in rows]))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--workers", "-j", type=int, help="Extraction processes [env TALLY_WORKERS; 1].")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr [default: when it is a terminal]."
)
@_db_options
def ingest(
    paths: tuple[str, ...], workers: int | None, progress: bool | None, db: str | None, config: str | None
) -> None:
    """Read, extract and store every input; a rerun stores nothing twice and finishes the rest."""
    from tqdm import tqdm

    from tally import ledger
    from tally.model import Failure

    with _errors():
        led, conf = _ledger(db, config, workers=workers)
        show = sys.stderr.isatty() if progress is None else progress
        bar = tqdm(
            total=ledger.count_inputs(paths),
            unit="doc",
            file=sys.stderr,
            disable=not show,
            dynamic_ncols=True,
        )

        def on_item(_status: str, failure: Failure | None) -> None:
            bar.update(1)
            if failure is not None:
                tqdm.write(failure.line(), file=sys.stderr)

        with led, bar:
            c = led.ingest(paths, workers=conf.workers, on_item=on_item)
        click.echo(
            f"tally: run {c.id}: {c.documents} documents ({c.new} new, {c.updated} updated, "
            f"{c.unchanged} unchanged, {c.skipped} skipped, {c.failed} failed), {c.figures} figures "
            f"stored in {led.url}",
            err=True,
        )
    sys.exit(0 if c.ok else 1)


@main.group()
def db() -> None:
    """Manage the store."""


@db.command()
@_db_options
def upgrade(db: str | None, config: str | None) -> None:
    """Create the store or migrate it to this Tally's schema."""
    with _errors():
        store, _conf = _open(db, config, upgrade=False)
        with store:
            before = store.revision()
            after = store.upgrade()
        was = f"from {before} " if before and before != after else ""
        click.echo(f"tally: {store.url} {was}at revision {after} (head)")


@main.command("figures")
@click.option("--origin", help="ISO country code of the people counted, e.g. FR.")
@click.option("--status", help="What happened to them: joined, returned, killed, detained, ...")
@click.option("--since", type=int, help="Only figures speaking for this year or later.")
@click.option("--source", help="Only figures whose source contains this text (any case).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_db_options
def figures_cmd(
    origin: str | None,
    status: str | None,
    since: int | None,
    source: str | None,
    fmt: str,
    db: str | None,
    config: str | None,
) -> None:
    """List stored figures with their sources."""
    from tally.reconcile.points import as_of
    from tally.reconcile.report import figure_text

    with _errors():
        led, _conf = _ledger(db, config)
        with led:
            found = led.figures(origin=origin, status=status, since=since, source=source)
    rows = []
    for sf in found:
        f = sf.figure
        row = sf.as_dict()
        row["as_of"] = as_of(f.period, f.published, f.quote)[0]
        row["figure"] = figure_text(f.qualifier, f.value, f.low, f.high)
        rows.append(row)
    cols = ["id", "as_of", "origin", "status", "role", "scope", "figure", "source", "outlet", "doc", "quote"]
    _emit(rows, fmt, cols)


@main.command()
@click.option("--origin", help="ISO country code of the people counted, e.g. FR.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_db_options
def series(origin: str | None, fmt: str, db: str | None, config: str | None) -> None:
    """Reconciled series: points, echo chains, conflicts and a best estimate per year."""
    from tally.reconcile.report import series_text

    with _errors():
        led, _conf = _ledger(db, config)
        with led:
            data = [s.as_dict() for s in led.series(origin=origin)]
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif not data:
        click.echo(f"tally: no figures in {led.url}; store some with `tally ingest PATH`", err=True)
    else:
        click.echo("\n\n".join(series_text(d) for d in data))


@main.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option(
    "--reports",
    "only_reports",
    is_flag=True,
    help="Only the reports (an entity and a date window), with JSON and CSV as one report figure a row.",
)
@click.option("--origin", help="Reports about people from this country only (ISO code, e.g. FR).")
@_db_options
def sources(fmt: str, only_reports: bool, origin: str | None, db: str | None, config: str | None) -> None:
    """Who the stored figures are attributed to: one row per source entity (spellings in
    any language merged), with figures, documents, stories (near-duplicate groups),
    outlets and languages each; then the reports (an entity and a date window), each
    figure with how many outlets restated it, in which languages, with the mutations."""
    from tally.reconcile.reports import reports_text

    with _errors():
        led, _conf = _ledger(db, config)
        with led:
            rows = [] if only_reports else led.sources().as_dicts()
            reports = led.reports(origin=origin) if only_reports or fmt == "table" else []
    if only_reports:
        if fmt == "json":
            click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            flat = [
                {
                    "report": r["id"],
                    "entity": r["entity_name"],
                    **{k: v for k, v in f.items() if k not in ("echoes", "mutations", "quote")},
                    "restated_by": " | ".join(f["restated_by"]),
                    "languages": ",".join(f["languages"]),
                    "mutations": ",".join(m["kind"] for m in f["mutations"]),
                }
                for r in reports
                for f in r["figures"]
            ]
            _emit(flat, fmt, [])
        else:
            click.echo(reports_text(reports) if reports else "tally: no attributed reports", err=not reports)
        return
    if fmt != "json":
        rows = [
            {**r, "spellings": " | ".join(r["spellings"]), "languages": ",".join(r["languages"])}
            for r in rows
        ]
    _emit(
        rows,
        fmt,
        ["entity_name", "kind", "figures", "documents", "outlets", "languages", "first", "last", "spellings"],
    )
    if fmt == "table" and reports:
        click.echo("\nReports (an entity and a date window; outlets that restated each figure):\n")
        click.echo(reports_text(reports))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv", show_default=True
)
@_db_options
def export(directory: str, fmt: str, db: str | None, config: str | None) -> None:
    """Write every table of the store into DIRECTORY, one file per table."""
    with _errors():
        led, _conf = _ledger(db, config)
        with led:
            paths = led.export(directory, fmt)
    for p in paths:
        click.echo(str(p))
