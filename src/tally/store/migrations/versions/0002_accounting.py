"""The accounting fields of a figure: who within the counted people it counts, and the
whole it is a part of (SCHEMA.md `population`, `part_of`).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.add_column(sa.Column("population", sa.String(16), nullable=False, server_default="all"))
        batch.add_column(sa.Column("part_of", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.drop_column("part_of")
        batch.drop_column("population")
