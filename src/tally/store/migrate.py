"""Run the packaged Alembic migrations against an engine, without an alembic.ini.

`tally db upgrade` calls `upgrade`, and `tally.store.open` calls it on first use,
so a fresh file or database becomes a current ledger without a separate step.
Alembic is imported only when there is something to migrate: opening a current
store reads the revision with one query, which keeps every command's start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# A package resource path, so the migrations are found wherever Tally is installed.
SCRIPT_LOCATION = "tally.store:migrations"
# The newest revision in migrations/versions; a test checks the two agree, so a new
# migration cannot ship without moving this.
HEAD = "0004"
VERSION_TABLE = "alembic_version"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def head() -> str:
    """The newest revision this version of Tally ships."""
    return HEAD


def script_head() -> str | None:
    """The head revision as the migration scripts themselves say (for the test on HEAD)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to `revision` (default: the newest) and return where it stands."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    now = current(engine)
    assert now is not None
    return now
