"""Full-text search in the store, shared by every server and kept in step by the database:
on SQLite, FTS5 tables filled by triggers on documents and figures (and from what is
stored already); on PostgreSQL, GIN indexes on tsvector expressions. See
`tally.store.fulltext`, which queries them.

SQLite drops a table's triggers with the table: a later migration that rebuilds
`documents` or `figures` (batch mode copies a table to alter it) must create the
triggers below again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As written here, frozen: `tally.store.fulltext` spells the same expressions in its
# queries (PG_DOCUMENT, PG_FIGURE), and a test checks that they use these indexes.
PG_DOCUMENT = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)"
PG_FIGURE = (
    "to_tsvector('simple'::regconfig, quote || ' ' || coalesce(source, '') || ' ' || "
    "coalesce(outlet, '') || ' ' || coalesce(counted, '') || ' ' || coalesce(\"group\", ''))"
)
TOKENIZE = "unicode61 remove_diacritics 2"

_DOC_ROW = (
    "((SELECT id FROM search_keys WHERE document_id = {row}.id), coalesce({row}.title, ''), {row}.text)"
)
_FIG_ROW = (
    "({row}.id, {row}.quote, coalesce({row}.source, ''), coalesce({row}.outlet, ''), "
    "coalesce({row}.counted, ''), coalesce({row}.\"group\", ''))"
)
_DOC_INSERT = (
    "INSERT INTO search_keys (document_id) VALUES (new.id);\n"
    f"INSERT INTO search_documents (rowid, title, body) VALUES {_DOC_ROW.format(row='new')};"
)
_DOC_DELETE = (
    "DELETE FROM search_documents WHERE rowid = (SELECT id FROM search_keys WHERE document_id = old.id);\n"
    "DELETE FROM search_keys WHERE document_id = old.id;"
)
_FIG_INSERT = (
    "INSERT INTO search_figures (rowid, quote, source, outlet, counted, grp) VALUES "
    + _FIG_ROW.format(row="new")
    + ";"
)
_FIG_DELETE = "DELETE FROM search_figures WHERE rowid = old.id;"

SQLITE = [
    "CREATE TABLE search_keys (id INTEGER PRIMARY KEY, document_id VARCHAR(64) NOT NULL UNIQUE)",
    f"CREATE VIRTUAL TABLE search_documents USING fts5(title, body, tokenize='{TOKENIZE}')",
    "CREATE VIRTUAL TABLE search_figures USING fts5("
    f"quote, source, outlet, counted, grp, tokenize='{TOKENIZE}')",
    f"CREATE TRIGGER search_documents_insert AFTER INSERT ON documents BEGIN\n{_DOC_INSERT}\nEND",
    "CREATE TRIGGER search_documents_update AFTER UPDATE OF id, title, text ON documents BEGIN\n"
    f"{_DOC_DELETE}\n{_DOC_INSERT}\nEND",
    f"CREATE TRIGGER search_documents_delete AFTER DELETE ON documents BEGIN\n{_DOC_DELETE}\nEND",
    f"CREATE TRIGGER search_figures_insert AFTER INSERT ON figures BEGIN\n{_FIG_INSERT}\nEND",
    'CREATE TRIGGER search_figures_update AFTER UPDATE OF id, quote, source, outlet, counted, "group" '
    f"ON figures BEGIN\n{_FIG_DELETE}\n{_FIG_INSERT}\nEND",
    f"CREATE TRIGGER search_figures_delete AFTER DELETE ON figures BEGIN\n{_FIG_DELETE}\nEND",
    # What an existing ledger holds already.
    "INSERT INTO search_keys (document_id) SELECT id FROM documents ORDER BY ingested, id",
    "INSERT INTO search_documents (rowid, title, body) "
    "SELECT k.id, coalesce(d.title, ''), d.text FROM documents d JOIN search_keys k ON k.document_id = d.id",
    "INSERT INTO search_figures (rowid, quote, source, outlet, counted, grp) "
    "SELECT f.id, f.quote, coalesce(f.source, ''), coalesce(f.outlet, ''), coalesce(f.counted, ''), "
    "coalesce(f.\"group\", '') FROM figures f",
]
SQLITE_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS search_{table}_{event}"
        for table in ("documents", "figures")
        for event in ("insert", "update", "delete")
    ),
    "DROP TABLE IF EXISTS search_figures",
    "DROP TABLE IF EXISTS search_documents",
    "DROP TABLE IF EXISTS search_keys",
]
POSTGRESQL = [
    f"CREATE INDEX ix_documents_search ON documents USING gin (({PG_DOCUMENT}))",
    f"CREATE INDEX ix_figures_search ON figures USING gin (({PG_FIGURE}))",
]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS ix_figures_search", "DROP INDEX IF EXISTS ix_documents_search"]


def upgrade() -> None:
    for statement in POSTGRESQL if _postgresql() else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRESQL_DOWN if _postgresql() else SQLITE_DOWN:
        op.execute(statement)


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")
