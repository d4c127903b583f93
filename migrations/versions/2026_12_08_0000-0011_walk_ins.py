"""walk-ins: how each roster entry came onto the roster

``participants.joined_by`` is ``roster`` for the people the organisers listed (imported, added,
given a personal link) and ``code`` or ``open_link`` for walk-ins, so the organisers can tell whom
to match to the roster. Entries from before are taken as listed: which of them walked in was not
recorded.

Revision ID: 0011_walk_ins
Revises: 0010_admission_in_memory
Create Date: 2026-12-08 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_walk_ins"
down_revision: str | None = "0010_admission_in_memory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("joined_by", sa.String(length=20), server_default="roster", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("joined_by")
