"""one answer per person per choice or scale question: answering again replaces the earlier one

Answers to choice and scale questions carry their question in ``sole_question_id``, unique per
author and room. Where a person had answered such a question more than once, the newest answer
stays (it is what answering again now does) and the earlier ones go.

Revision ID: 0003_one_choice_answer
Revises: 0002_breakout_timing
Create Date: 2026-12-07 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_one_choice_answer"
down_revision: str | None = "0002_breakout_timing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOLE_KINDS = "('single_choice', 'multiple_choice', 'scale')"


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("sole_question_id", sa.Uuid(), nullable=True))
    # Earlier answers of a person to the same choice or scale question in the same room.
    op.execute(
        f"""
        DELETE FROM answers WHERE id IN (
            SELECT older.id FROM answers AS older
            JOIN questions ON questions.id = older.question_id
            WHERE questions.kind IN {SOLE_KINDS} AND older.author_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM answers AS newer
                WHERE newer.author_id = older.author_id AND newer.room_id = older.room_id
                  AND newer.question_id = older.question_id
                  AND (newer.created_at > older.created_at
                       OR (newer.created_at = older.created_at AND newer.id > older.id))
            )
        )
        """
    )
    op.execute(
        f"""
        UPDATE answers SET sole_question_id = question_id
        WHERE author_id IS NOT NULL
          AND question_id IN (SELECT id FROM questions WHERE kind IN {SOLE_KINDS})
        """
    )
    with op.batch_alter_table("answers") as batch:
        batch.create_unique_constraint(
            batch.f("uq_answers_author_id_room_id_sole_question_id"), ["author_id", "room_id", "sole_question_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_constraint(batch.f("uq_answers_author_id_room_id_sole_question_id"), type_="unique")
        batch.drop_column("sole_question_id")
