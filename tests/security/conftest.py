"""The staged meeting fixtures and the live server, shared with the security tests."""

from tests.questions.staging import draft_stage, stage
from tests.realtime.conftest import live_server

__all__ = ["draft_stage", "live_server", "stage"]
