"""Alembic environment: migrates the connection `tally.store.migrate` hands over.

There is no alembic.ini: the store builds the Alembic config in code, so a user
never needs Alembic's command line, and `tally db upgrade` works from any folder.
"""

from __future__ import annotations

from alembic import context

from tally.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
