"""projector link: a revocable read-only link for the projector, its socket tickets, and the page
the report-back shows

Revision ID: 0005_projector_link
Revises: 0004_room_call_url
Create Date: 2026-12-07 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_projector_link'
down_revision: str | None = '0004_room_call_url'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        batch.add_column(sa.Column('projector_token_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('socket_tickets') as batch:
        batch.add_column(sa.Column('projector_token_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('plenary_states') as batch:
        batch.add_column(sa.Column('focus_page', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('plenary_states') as batch:
        batch.drop_column('focus_page')
    with op.batch_alter_table('socket_tickets') as batch:
        batch.drop_column('projector_token_id')
    with op.batch_alter_table('meetings') as batch:
        batch.drop_column('projector_token_id')
