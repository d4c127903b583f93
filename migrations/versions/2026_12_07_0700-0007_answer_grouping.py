"""answer grouping: a room's moderator turns on the grouping of similar answers per question

Revision ID: 0007_answer_grouping
Revises: 0006_raised_hands
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_answer_grouping'
down_revision: str | None = '0006_raised_hands'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('allocations') as batch:
        batch.add_column(sa.Column('grouped', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('allocations') as batch:
        batch.drop_column('grouped')
