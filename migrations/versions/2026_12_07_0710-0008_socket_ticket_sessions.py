"""socket ticket sessions: a socket ticket names the sessions it was issued to

Signing out (or erasing a person) revokes sessions; a ticket of a revoked session no longer opens
a socket. Tickets live for seconds, so those issued before this revision are simply dropped.

Revision ID: 0008_socket_ticket_sessions
Revises: 0007_answer_grouping
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_socket_ticket_sessions'
down_revision: str | None = '0007_answer_grouping'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text('DELETE FROM socket_tickets'))
    with op.batch_alter_table('socket_tickets') as batch:
        batch.add_column(sa.Column('account_session_id', sa.Uuid(), nullable=True))
        batch.add_column(sa.Column('participant_session_id', sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_socket_tickets_account_session_id_auth_sessions'), 'auth_sessions', ['account_session_id'], ['id'], ondelete='CASCADE'
        )
        batch.create_foreign_key(
            op.f('fk_socket_tickets_participant_session_id_auth_sessions'),
            'auth_sessions',
            ['participant_session_id'],
            ['id'],
            ondelete='CASCADE',
        )


def downgrade() -> None:
    with op.batch_alter_table('socket_tickets') as batch:
        batch.drop_constraint(op.f('fk_socket_tickets_participant_session_id_auth_sessions'), type_='foreignkey')
        batch.drop_constraint(op.f('fk_socket_tickets_account_session_id_auth_sessions'), type_='foreignkey')
        batch.drop_column('participant_session_id')
        batch.drop_column('account_session_id')
