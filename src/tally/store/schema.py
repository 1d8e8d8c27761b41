"""The ledger's tables, as SQLAlchemy Core metadata shared by both backends.

Core rather than the ORM: the write path inserts one document and its figures per
transaction with plain bulk statements, which keeps ingest close to extraction speed.
The migrations in `migrations/versions` create exactly these tables, plus the
full-text index named at the end (SEARCH_*), which SQLAlchemy cannot describe; a test
checks that the two agree.

No table holds anything about a named person: people appear only as the `source`
string of a figure ("Valls", "the interior ministry").
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
)

# A story is a group of near-duplicate documents (wire copy, reprints, mirrors); its id
# is the key of the document that founded it.
stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created", DateTime(timezone=True), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", DateTime(timezone=True), nullable=False),
    # NULL while running, and for ever for a run that was killed.
    Column("finished", DateTime(timezone=True)),
    Column("version", String(32), nullable=False),
    Column("inputs", Text, nullable=False),  # JSON list of the paths given
    Column("workers", Integer, nullable=False, default=1),
    Column("documents", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("figures", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
)

run_errors = Table(
    "run_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Keyed by the hash of the normalised cleaned text, so one text read twice, from two
# paths or two formats, is one document.
documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),  # the input's doc id (file name without extension)
    Column("source", Text, nullable=False),  # where it was read from
    Column("url", Text),
    Column("title", Text),
    Column("published", String(32)),
    Column("lang", String(16)),
    Column("outlet_id", Integer, ForeignKey("outlets.id")),
    Column("story_id", String(64), ForeignKey("stories.id"), index=True),
    Column("text", Text, nullable=False),
    Column("version", String(32), nullable=False),  # the Tally version that extracted it
    Column("signature", LargeBinary),  # MinHash values, to rebuild the story index
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("ingested", DateTime(timezone=True), nullable=False),
)

# Raw inputs already stored at a version: a rerun skips them before any cleaning or
# extraction, which is what makes resuming a killed run cheap.
seen_inputs = Table(
    "seen_inputs",
    metadata,
    Column("raw_hash", String(64), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("version", String(32), nullable=False),
)

figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer, nullable=False),  # position among the document's figures
    Column("doc", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("span", Text, nullable=False),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("role", String(16), nullable=False),
    Column("counted", Text),
    Column("origin", String(8)),
    Column("status", String(16), nullable=False),
    Column("group", Text),
    Column("place", Text),
    Column("period", Text),
    Column("source", Text),
    Column("scope", String(16)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("quote_start", Integer, nullable=False),
    Column("quote_end", Integer, nullable=False),
    Column("population", String(16), nullable=False, server_default="all"),
    Column("part_of", Text),
    Column("published", String(32)),
    Column("url", Text),
    Column("outlet", Text),
    Column("lang", String(16)),
    Column("version", String(32), nullable=False),
    UniqueConstraint("document_id", "ordinal", name="uq_figures_document_ordinal"),
    Index("ix_figures_series", "origin", "status", "role", "scope"),
)

# Tables in the order rows can be inserted (and exported) without breaking a foreign key.
TABLES = (outlets, stories, runs, run_errors, documents, seen_inputs, figures)

# -- `tally watch`: what it has fetched, what it has seen of the ledger, what it has alerted.
# Kept apart from TABLES: they are the watcher's memory, not the ledger that is exported.

# One row per source (feed, sitemap, URL list, page): the validators its last full answer
# carried, and how it has been failing (the next try backs off with each failure).
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("source", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("digest", String(64)),  # of the last body read whole, for servers without validators
    Column("checked", DateTime(timezone=True)),
    Column("ok", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_try", DateTime(timezone=True)),
    Column("error", Text),
)

# Entries (feed items, sitemap URLs) already taken care of, so a round fetches only what is
# new: stored, or failed for good; a transient failure is retried a few rounds.
watch_items = Table(
    "watch_items",
    metadata,
    Column("source", Text, primary_key=True),
    Column("item", String(64), primary_key=True),  # SHA-1 of the entry's id or link
    Column("url", Text),
    Column("state", String(16), nullable=False),  # stored | failed | retry
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", Text),
    Column("seen", DateTime(timezone=True), nullable=False),
)

# What the watcher last saw of the reconciled ledger: points, reports, conflicts and the
# best estimate of each series and year. A round's events are the difference, written in
# the same transaction as the new marks, so no change is alerted twice or never.
watch_marks = Table(
    "watch_marks",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

watch_events = Table(
    "watch_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # new_point | new_report | conflict | best_changed
    Column("created", DateTime(timezone=True), nullable=False),
    Column("origin", String(8)),
    Column("status", String(16)),
    Column("payload", Text, nullable=False),  # the alert as JSON, as every channel sends it
)

# Each alert's delivery to each channel that takes it (stdout, a webhook): pending until
# done, retried with backoff, given up after a last attempt that is logged.
watch_deliveries = Table(
    "watch_deliveries",
    metadata,
    Column("event_id", Integer, ForeignKey("watch_events.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(200), primary_key=True),
    Column("state", String(16), nullable=False),  # pending | delivered | gave_up
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try", DateTime(timezone=True)),
    Column("done", DateTime(timezone=True)),
    Column("error", Text),
    Index("ix_watch_deliveries_state", "state"),
)

# -- Full-text search (migration 0004, queried by `tally.store.fulltext`). Not metadata: its
# form differs by backend and SQLAlchemy has no words for it. On SQLite, these tables
# (FTS5 ones with their shadow tables, named `<table>_data`, `_idx`, `_content`,
# `_docsize`, `_config`) and triggers on documents and figures; on PostgreSQL, these
# GIN indexes on tsvector expressions of documents and figures.
SEARCH_TABLES = ("search_keys", "search_documents", "search_figures")
SEARCH_TRIGGERS = tuple(
    f"search_{table}_{event}"
    for table in ("documents", "figures")
    for event in ("insert", "update", "delete")
)
SEARCH_INDEXES = ("ix_documents_search", "ix_figures_search")
