"""curated group themes: the theme the organiser put a curated group in, by name

Revision ID: 0009_curated_group_themes
Revises: 0008_socket_ticket_sessions
Create Date: 2026-12-07 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_curated_group_themes"
down_revision: str | None = "0008_socket_ticket_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("curated_groups") as batch:
        batch.add_column(sa.Column("theme_label", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("curated_groups") as batch:
        batch.drop_column("theme_label")
