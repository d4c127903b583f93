"""admission in memory: socket tickets are signed and presence is kept in memory (or Redis)

Socket tickets carry what admission needs and are signed with the app's key; their single use is
a ledger's in memory or in Redis. Presence (which sockets are open) lives in memory or Redis with
expiries. Neither table is read or written any more. Both hold only seconds-old, ephemeral rows,
so the downgrade recreates them empty.

Revision ID: 0010_admission_in_memory
Revises: 0009_curated_group_themes
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.database

revision: str = "0010_admission_in_memory"
down_revision: str | None = "0009_curated_group_themes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("socket_tickets") as batch:
        batch.drop_index(batch.f("ix_socket_tickets_expires_at"))
    op.drop_table("socket_tickets")
    with op.batch_alter_table("live_connections") as batch:
        batch.drop_index(batch.f("ix_live_connections_process_id"))
        batch.drop_index(batch.f("ix_live_connections_meeting_id"))
        batch.drop_index(batch.f("ix_live_connections_actor_key"))
    op.drop_table("live_connections")


def downgrade() -> None:
    op.create_table(
        "live_connections",
        sa.Column("process_id", sa.String(length=32), nullable=False),
        sa.Column("actor_key", sa.String(length=80), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("opened_at", app.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", app.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", app.database.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_live_connections_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_live_connections_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_connections")),
    )
    with op.batch_alter_table("live_connections") as batch:
        batch.create_index(batch.f("ix_live_connections_actor_key"), ["actor_key"], unique=False)
        batch.create_index(batch.f("ix_live_connections_meeting_id"), ["meeting_id"], unique=False)
        batch.create_index(batch.f("ix_live_connections_process_id"), ["process_id"], unique=False)
    op.create_table(
        "socket_tickets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("projector_token_id", sa.Uuid(), nullable=True),
        sa.Column("account_session_id", sa.Uuid(), nullable=True),
        sa.Column("participant_session_id", sa.Uuid(), nullable=True),
        sa.Column("expires_at", app.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", app.database.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_socket_tickets_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_socket_tickets_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_socket_tickets_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_session_id"],
            ["auth_sessions.id"],
            name=op.f("fk_socket_tickets_account_session_id_auth_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_session_id"],
            ["auth_sessions.id"],
            name=op.f("fk_socket_tickets_participant_session_id_auth_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_socket_tickets")),
    )
    with op.batch_alter_table("socket_tickets") as batch:
        batch.create_index(batch.f("ix_socket_tickets_expires_at"), ["expires_at"], unique=False)
