from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from tests.realtime.server import LiveServer, serving


@pytest.fixture
async def live_server(app: FastAPI) -> AsyncIterator[LiveServer]:
    async with serving(app) as server:
        yield server
