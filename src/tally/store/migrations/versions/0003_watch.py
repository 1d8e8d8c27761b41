"""The watcher's memory: sources with their validators and failures, entries seen, marks of
the reconciled ledger, alerts and their deliveries (`tally watch`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("digest", sa.String(64)),
        sa.Column("checked", TZ),
        sa.Column("ok", TZ),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("next_try", TZ),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "watch_items",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("seen", TZ, nullable=False),
    )
    op.create_table(
        "watch_marks",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text),
    )
    op.create_table(
        "watch_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created", TZ, nullable=False),
        sa.Column("origin", sa.String(8)),
        sa.Column("status", sa.String(16)),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "watch_deliveries",
        sa.Column(
            "event_id",
            sa.Integer,
            sa.ForeignKey("watch_events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("channel", sa.String(200), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_try", TZ),
        sa.Column("done", TZ),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_watch_deliveries_state", "watch_deliveries", ["state"])


def downgrade() -> None:
    for table in ("watch_deliveries", "watch_events", "watch_marks", "watch_items", "watch_sources"):
        op.drop_table(table)
