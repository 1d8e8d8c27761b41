"""What every request of one app shares: the store, the token, the caches, the fetcher."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request

from tally import Ledger
from tally.store import Store
from tally.web.queries import LedgerCache
from tally.web.render import ResponseCache
from tally.web.search import SearchIndex

if TYPE_CHECKING:
    from tally.ingest.url import Fetcher


@dataclass(slots=True)
class AppState:
    """One server's shared objects. `token` None means read-only; `fetcher` None means a
    real network fetcher is made on the first URL posted."""

    store: Store
    ledger: Ledger  # the public API's view of `store`: what the API's reads go through
    token: str | None
    cache: LedgerCache
    search: SearchIndex
    fetcher: Fetcher | None = None
    pages: ResponseCache = field(default_factory=ResponseCache)
    # Web writes go one at a time: each places its document in a story against the
    # stories stored before it, as a CLI ingest does document by document.
    write_lock: threading.Lock = field(default_factory=threading.Lock)


def state(request: Request) -> AppState:
    found: AppState = request.app.state.tally
    return found
