"""The ledger's tables, as SQLAlchemy Core metadata shared by both backends.

Core rather than the ORM: the write path inserts one document and its figures per
transaction with plain bulk statements, which keeps ingest close to extraction speed.
The migrations in `migrations/versions` create exactly these tables; a test checks
that the two agree.

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
