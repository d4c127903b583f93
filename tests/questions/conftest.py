"""The staged meeting fixtures, shared with the answers tests."""

from tests.questions.staging import draft_stage, stage

__all__ = ["draft_stage", "stage"]
