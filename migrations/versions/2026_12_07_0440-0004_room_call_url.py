"""room call url: an optional video call link per breakout room

Revision ID: 0004_room_call_url
Revises: 0003_one_choice_answer
Create Date: 2026-12-07 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_room_call_url'
down_revision: str | None = '0003_one_choice_answer'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(sa.Column('call_url', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('call_url')
