"""The staged meeting fixtures (rooms, roster, questions), shared with the questions tests."""

from tests.questions.staging import draft_stage, stage

__all__ = ["draft_stage", "stage"]
