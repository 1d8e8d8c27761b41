"""`tally serve`: the dashboard and JSON API over the configured store, under uvicorn.

Registered on `tally.cli.main`. A thin shell over `tally.web`: it resolves the settings
(the store, the number of worker processes), reads the bearer token from TALLY_TOKEN
(which alone makes the server accept writes), opens the store (migrating it once, before
any worker starts), prints the URL and runs the server until interrupted.

With one worker the app is built here; with several, uvicorn starts each worker process
afresh and builds the app there by name (`tally.web.app:from_settings`) from the same
settings, which this command leaves resolved in the environment. Worker processes share
the listening socket and the store, not memory: each keeps its own reconciled ledger and
rendered pages, and a page one worker serves may lag another's write by a moment.
"""

from __future__ import annotations

import os
import sys

import click

from tally.cli import main
from tally.errors import TallyError

# How long an idle connection stays open: longer than uvicorn's 5 s default, so a client
# that pauses between requests (a reader, a dashboard polling) does not race a closing socket.
KEEP_ALIVE_SECONDS = 30
# Workers when the setting says 0: one per core the process may run on, at least MIN so one
# busy reconciling does not hold every reader, at most MAX: each keeps its own reconciled
# ledger and, when writes are allowed, its own extraction models (some 300 MB).
MIN_WORKERS, MAX_WORKERS = 2, 8
APP_FACTORY = "tally.web.app:from_settings"


def worker_count(setting: int) -> int:
    """The number of worker processes: the setting, or with 0 one per usable core (2 to 8)."""
    if setting:
        return setting
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(MAX_WORKERS, max(MIN_WORKERS, cores))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--workers",
    type=click.IntRange(0),
    help="Worker processes; 0: one per CPU core, 2 to 8 [env TALLY_SERVE_WORKERS; 0].",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
    help="Server log detail (info logs every request).",
)
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file (default: ./tally.toml).")
@click.option("--db", help="Store: SQLite file or postgresql:// URL [env TALLY_DB; ./tally.db].")
def serve(
    host: str, port: int, workers: int | None, log_level: str, config: str | None, db: str | None
) -> None:
    """Serve the dashboard and the JSON API (read-only unless TALLY_TOKEN is set)."""
    import uvicorn

    import tally
    from tally import settings
    from tally.web import create_app

    try:
        conf = settings.load({"db": db, "serve_workers": workers}, config=config)
        token = conf.token  # TALLY_TOKEN: the settings table keeps secrets out of files
        ledger = tally.open(conf.db)  # migrates the store once, before any worker opens it
    except TallyError as exc:
        click.echo(f"tally: {exc}", err=True)
        sys.exit(2)
    count = worker_count(conf.serve_workers)
    shown = f"[{host}]" if ":" in host else host
    mode = "writes need the bearer token" if token else "read-only: set TALLY_TOKEN to accept writes"
    click.echo(
        f"tally: serving {ledger.url} at http://{shown}:{port}/ with {count} worker process"
        f"{'es' if count > 1 else ''} ({mode}); Ctrl-C stops",
        err=True,
    )
    options = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": log_level in ("info", "debug"),
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if count == 1:
        with ledger:
            uvicorn.run(create_app(ledger, token=token, warm=True), **options)  # type: ignore[arg-type]
        return
    ledger.close()
    # What each worker's settings.load() reads: the values resolved here win over any file.
    os.environ["TALLY_DB"] = conf.db
    if token:
        os.environ["TALLY_TOKEN"] = token
    if config:
        os.environ[settings.CONFIG_ENV] = config
    os.environ["TALLY_SERVE_WORKERS"] = str(count)
    uvicorn.run(APP_FACTORY, factory=True, workers=count, **options)  # type: ignore[arg-type]
