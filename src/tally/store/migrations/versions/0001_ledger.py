"""The first ledger: outlets, stories, runs and their errors, documents, seen inputs, figures.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("created", TZ, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started", TZ, nullable=False),
        sa.Column("finished", TZ),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("workers", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("figures", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
    )
    op.create_table(
        "run_errors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_run_errors_run_id", "run_errors", ["run_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("lang", sa.String(16)),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id")),
        sa.Column("story_id", sa.String(64), sa.ForeignKey("stories.id")),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("signature", sa.LargeBinary),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
        sa.Column("ingested", TZ, nullable=False),
    )
    op.create_index("ix_documents_story_id", "documents", ["story_id"])
    op.create_table(
        "seen_inputs",
        sa.Column("raw_hash", sa.String(64), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.String(32), nullable=False),
    )
    op.create_table(
        "figures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("span", sa.Text, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("counted", sa.Text),
        sa.Column("origin", sa.String(8)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("group", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("period", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("scope", sa.String(16)),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("quote_start", sa.Integer, nullable=False),
        sa.Column("quote_end", sa.Integer, nullable=False),
        sa.Column("published", sa.String(32)),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("lang", sa.String(16)),
        sa.Column("version", sa.String(32), nullable=False),
        sa.UniqueConstraint("document_id", "ordinal", name="uq_figures_document_ordinal"),
    )
    op.create_index("ix_figures_series", "figures", ["origin", "status", "role", "scope"])


def downgrade() -> None:
    for table in ("figures", "seen_inputs", "documents", "run_errors", "runs", "stories", "outlets"):
        op.drop_table(table)
