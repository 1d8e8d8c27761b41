"""The SQLite adapter: the embedded default, one file beside the user's work.

WAL lets readers (`tally series`) run while an ingest writes; synchronous=NORMAL
drops the fsync on every commit, which keeps per-document transactions cheap. In
WAL mode a commit still survives the process being killed; only a power cut can
lose the last few, and those documents are simply ingested again on the next run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL

from tally.errors import StoreError
from tally.store.base import Store

# Milliseconds a writer waits for another's lock before failing.
BUSY_TIMEOUT_MS = 30_000


def _pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def engine(url: URL) -> Engine:
    """An engine on a SQLite file, with the pragmas set on every connection."""
    if url.database and url.database != ":memory:":
        folder = Path(url.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"cannot create the SQLite store {url.database}: folder {folder} does not exist")
    eng = create_engine(url)
    event.listen(eng, "connect", _pragmas)
    return eng


class SQLiteStore(Store):
    backend = "sqlite"
    _insert = staticmethod(sqlite_insert)
