"""`tally watch`: follow feeds, news sitemaps and URL lists on a schedule, and alert.

Registered on `tally.cli.main`. A thin shell over `tally.watch.Watcher`: it resolves the
settings (sources, interval, subscriptions, webhook secret), opens the store, turns
SIGTERM and Ctrl-C into a graceful stop after the document in hand, and runs. Alerts go
to stdout as JSON Lines, log lines to stderr. Tally errors exit 2; with --once, a round
in which a source or an article failed exits 1.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

from tally.cli import main
from tally.errors import TallyError

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except TallyError as exc:
        click.echo(f"tally: {exc}", err=True)
        sys.exit(2)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM or Ctrl-C: finish the document in hand, record and deliver, then exit.
    A second Ctrl-C stops at once. The previous handlers come back afterwards."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        from tally.watch.log import event

        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        event(logging.INFO, "watch.stopping", signal=signal.Signals(signum).name)
        stop.set()

    before = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in before.items():
            signal.signal(sig, old)


def _duration(_ctx: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    from tally.watch.config import duration

    try:
        return None if value is None else duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@main.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--every",
    callback=_duration,
    help="Time between rounds: 30m, 1h, 90s [env TALLY_WATCH_EVERY; [watch] every; 30m].",
)
@click.option("--once", is_flag=True, help="One round, then exit (for cron); exit 1 if anything failed.")
@click.option(
    "--log-level",
    type=click.Choice(list(LEVELS)),
    default="info",
    show_default=True,
    help="Log detail on stderr.",
)
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file (default: ./tally.toml).")
@click.option("--db", help="Store: SQLite file or postgresql:// URL [env TALLY_DB; ./tally.db].")
def watch(
    sources: tuple[str, ...],
    every: float | None,
    once: bool,
    log_level: str,
    config: str | None,
    db: str | None,
) -> None:
    """Follow SOURCES (feed or news-sitemap URLs, feed files, .urls lists; default: [watch]
    sources), store what is new and print an alert, one JSON line, for each new figure,
    report, conflict or best estimate that changed."""
    from tally import settings, store
    from tally.watch import Watcher
    from tally.watch.log import to_stream

    stop = threading.Event()
    with _errors(), to_stream(sys.stderr, LEVELS[log_level]):
        conf = settings.load(
            {"db": db, "watch_sources": list(sources) or None, "watch_every": every}, config=config
        )
        ledger = store.open(conf.db)
        with (
            ledger,
            _stop_on_signals(stop),
            Watcher(
                ledger,
                conf.watch_sources,
                every=conf.watch_every,
                subscriptions=conf.alerts,
                dashboard=conf.watch_dashboard,
                secret=conf.webhook_secret,
                stop=stop,
            ) as watcher,
        ):
            summary = watcher.run(once=once)
    sys.exit(1 if once and not summary.ok else 0)
