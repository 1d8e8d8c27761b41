"""What every request of one app shares: the store, the token, the caches, the fetcher."""

from __future__ import annotations

import hashlib
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from starlette.requests import Request

from tally import Ledger
from tally.store import Store
from tally.web.queries import LedgerCache
from tally.web.render import ResponseCache
from tally.web.search import SearchIndex

if TYPE_CHECKING:
    from tally.ingest.url import Fetcher


class WriteLock:
    """Web writes one at a time, across the threads of a process and the worker processes
    of `tally serve` (and any other server on this machine over the same store): each
    write places its document in a story against the stories stored before it, as a CLI
    ingest does document by document. Between processes it is an advisory lock on a file
    named after the store in the temporary folder; without `fcntl` (Windows) it holds
    between threads only."""

    def __init__(self, store_url: str) -> None:
        digest = hashlib.sha256(store_url.encode()).hexdigest()[:16]
        self.path = Path(tempfile.gettempdir()) / f"tally-writes-{digest}.lock"
        self._thread = threading.Lock()
        self._file: IO[bytes] | None = None

    def __enter__(self) -> WriteLock:
        self._thread.acquire()
        try:
            import fcntl
        except ImportError:
            return self
        try:
            self._file = self.path.open("ab")
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._close()

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases its lock
            self._file = None
        self._thread.release()


@dataclass(slots=True)
class AppState:
    """One server's shared objects. `token` None means read-only; `fetcher` None means a
    real network fetcher is made on the first URL posted."""

    store: Store
    ledger: Ledger  # the public API's view of `store`: what the API's reads go through
    token: str | None
    cache: LedgerCache
    search: SearchIndex
    write_lock: WriteLock
    fetcher: Fetcher | None = None
    pages: ResponseCache = field(default_factory=ResponseCache)


def state(request: Request) -> AppState:
    found: AppState = request.app.state.tally
    return found
