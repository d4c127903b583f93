"""room finished: a moderator finishes their room before the rooms close

``rooms.finished_at`` is set when the room's moderator (or an organiser) finishes it early and
cleared when they open it again or a new round of breakouts opens.

Revision ID: 0012_room_finished
Revises: 0011_walk_ins
Create Date: 2026-12-08 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.database

revision: str = "0012_room_finished"
down_revision: str | None = "0011_walk_ins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("finished_at", app.database.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("finished_at")
