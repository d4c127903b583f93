"""breakout timing: planned end, countdown length, start of the current phase

Revision ID: 0002_breakout_timing
Revises: 0001
Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.database

revision: str = '0002_breakout_timing'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        batch.add_column(sa.Column('breakouts_end_at', app.database.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('breakouts_countdown_s', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('phase_changed_at', app.database.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        batch.drop_column('phase_changed_at')
        batch.drop_column('breakouts_countdown_s')
        batch.drop_column('breakouts_end_at')
