from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ClientFactory
from tests.participants.scene import Scene, build_scene
from tests.questions.staging import stage


@pytest.fixture
async def scene(app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory) -> AsyncIterator[Scene]:
    async with build_scene(app, client, client_factory) as built:
        yield built


__all__ = ["scene", "stage"]
