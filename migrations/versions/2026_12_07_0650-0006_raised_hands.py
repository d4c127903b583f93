"""raised hands: a participant asks their breakout room's moderator for help

Revision ID: 0006_raised_hands
Revises: 0005_projector_link
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.database

revision: str = "0006_raised_hands"
down_revision: str | None = "0005_projector_link"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "raised_hands",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("open_participant_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("acknowledged_at", app.database.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lowered_at", app.database.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.database.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_raised_hands_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_raised_hands_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_raised_hands_room_id_rooms"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raised_hands")),
        sa.UniqueConstraint("open_participant_id", name=op.f("uq_raised_hands_open_participant_id")),
    )
    with op.batch_alter_table("raised_hands") as batch:
        batch.create_index(batch.f("ix_raised_hands_meeting_id"), ["meeting_id"], unique=False)
        batch.create_index(batch.f("ix_raised_hands_participant_id"), ["participant_id"], unique=False)
        batch.create_index(batch.f("ix_raised_hands_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    op.drop_table("raised_hands")
