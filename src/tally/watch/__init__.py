"""Watch: follow feeds, news sitemaps and URL lists in rounds, store what is new through the
ledger's recorder, and alert once on each change of the reconciled ledger.

`Watcher(store, sources, ...)` does the work: `round()` fetches and stores, finds the
events and delivers them; `run(every, ...)` repeats rounds until stopped. `tally watch`
(tally.cli_watch) is a thin shell over it. The stages, one module each:

- sources.py and sitemap.py: what a source lists now (conditional requests, backoff);
- state.py: the watcher's memory in the store (validators, entries seen, marks, alerts);
- events.py: the difference between the reconciled ledger and the marks (pure);
- alerts.py: an event as the alert every channel sends, and subscriptions;
- deliver.py: standard output and webhooks (HMAC-signed, retried with backoff);
- atom.py: the alerts as an Atom feed, for `tally serve`.

This module imports nothing heavy: `tally.settings` reads the watch settings' parsers
from `tally.watch.config`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tally.watch.loop import RoundSummary, Watcher

__all__ = ["RoundSummary", "Watcher"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tally.watch import loop

        return getattr(loop, name)
    raise AttributeError(name)
