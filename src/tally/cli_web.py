"""`tally serve`: the dashboard and JSON API over the configured store, under uvicorn.

Registered on `tally.cli.main`. A thin shell over `tally.web.create_app`: it resolves
the settings (the store), reads the bearer token from TALLY_TOKEN (which alone makes
the server accept writes), opens the store, prints the URL and runs the server until
interrupted.
"""

from __future__ import annotations

import sys

import click

from tally.cli import main
from tally.errors import TallyError

# How long an idle connection stays open: longer than uvicorn's 5 s default, so a client
# that pauses between requests (a reader, a dashboard polling) does not race a closing socket.
KEEP_ALIVE_SECONDS = 30


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
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
def serve(host: str, port: int, log_level: str, config: str | None, db: str | None) -> None:
    """Serve the dashboard and the JSON API (read-only unless TALLY_TOKEN is set)."""
    import uvicorn

    import tally
    from tally import settings
    from tally.web import create_app

    try:
        conf = settings.load({"db": db}, config=config)
        token = conf.token  # TALLY_TOKEN: the settings table keeps secrets out of files
        ledger = tally.open(conf.db)
    except TallyError as exc:
        click.echo(f"tally: {exc}", err=True)
        sys.exit(2)
    app = create_app(ledger, token=token, warm=True)
    shown = f"[{host}]" if ":" in host else host
    mode = "writes need the bearer token" if token else "read-only: set TALLY_TOKEN to accept writes"
    click.echo(f"tally: serving {ledger.url} at http://{shown}:{port}/ ({mode}); Ctrl-C stops", err=True)
    with ledger:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=log_level,
            access_log=log_level in ("info", "debug"),
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
