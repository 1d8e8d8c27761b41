"""The PostgreSQL adapter, through psycopg 3, for a shared or larger ledger.

A `postgresql://` URL is taken to mean psycopg 3 (SQLAlchemy would otherwise look
for psycopg2). Credentials belong in TALLY_DB in the environment, or in libpq's
own PGPASSWORD / ~/.pgpass, never in a committed config file.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import URL

from tally.store.base import Store

DRIVER = "postgresql+psycopg"


def engine(url: URL) -> Engine:
    """An engine on a PostgreSQL database; connections are checked before reuse."""
    return create_engine(url.set(drivername=DRIVER), pool_pre_ping=True)


class PostgresStore(Store):
    backend = "postgresql"
    _insert = staticmethod(pg_insert)
