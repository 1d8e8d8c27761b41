"""The ledger's store: `open(url) -> Store`, on SQLite (default) or PostgreSQL.

One small interface (`Store`, in base.py) with two adapters; the schema is created
and upgraded by Alembic migrations shipped in this package, automatically on first
use or with `tally db upgrade`.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from tally.errors import StoreError
from tally.store import migrate
from tally.store.base import Store, newer_version
from tally.store.records import Entry, RunCounts, StoredFigure, document_key, raw_key

__all__ = [
    "Entry",
    "RunCounts",
    "Store",
    "StoredFigure",
    "document_key",
    "newer_version",
    "open",
    "parse_url",
    "raw_key",
]


def parse_url(url: str) -> URL:
    """A store URL from a setting: a plain path means a SQLite file."""
    if "://" not in url:
        return URL.create("sqlite", database=url)
    if url.startswith("postgres://"):  # the short scheme some hosts print
        url = "postgresql://" + url[len("postgres://") :]
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"cannot read the store URL {url!r}: {exc}") from exc


def open(url: str, *, upgrade: bool = True) -> Store:
    """Open the store at `url`, migrating it to this Tally's schema unless `upgrade` is False."""
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    store: Store
    try:
        if backend == "sqlite":
            from tally.store import sqlite

            store = sqlite.SQLiteStore(sqlite.engine(parsed))
        elif backend == "postgresql":
            from tally.store import postgres

            store = postgres.PostgresStore(postgres.engine(parsed))
        else:
            raise StoreError(
                f"unsupported store {parsed.render_as_string(hide_password=True)}: "
                "use a SQLite file path or a postgresql:// URL"
            )
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot open the store: {exc}") from exc
    if upgrade and store.revision() != migrate.head():
        store.upgrade()
    return store
