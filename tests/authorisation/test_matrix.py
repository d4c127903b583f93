"""Every role against every endpoint, each cell on a fresh world: the status the matrix states, no
500, nothing written when refused, a stranger's 404 identical to a missing id's, and no leaks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from tests.authorisation.calls import as_seen, json_of, send
from tests.authorisation.cells import ROLES, Outcome, Row
from tests.authorisation.fingerprint import Fingerprint, changed_tables, fingerprint
from tests.authorisation.leaks import leaks
from tests.authorisation.matrix import PUBLIC, ROWS
from tests.authorisation.world import World, build_worlds, phantom
from tests.conftest import make_settings
from tests.databases import TestDatabase

ERROR_KEYS = {"code", "message", "details"}


def _endpoints() -> set[tuple[str, str]]:
    # The OpenAPI document needs no database: the app is built but never started.
    unused = TestDatabase("sqlite", f"sqlite+aiosqlite:///{Path('/nonexistent/openapi-only.db')}")
    paths: dict[str, dict[str, Any]] = create_app(make_settings(unused)).openapi()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_the_matrix_covers_exactly_the_api() -> None:
    endpoints = _endpoints()
    in_matrix = {(row.method, row.path) for row in ROWS}
    assert sorted(endpoints - in_matrix - PUBLIC.keys()) == [], "endpoints without a row in matrix.py"
    assert sorted(in_matrix - endpoints) == [], "rows for endpoints that do not exist"
    assert sorted(PUBLIC.keys() - endpoints) == [], "public endpoints that do not exist"
    assert sorted(in_matrix & PUBLIC.keys()) == [], "public endpoints are tested by test_public_endpoints"
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), "row ids must be unique"


async def _check_cell(
    app: FastAPI, http: httpx.AsyncClient, row: Row, role: str, world: World, before: Fingerprint
) -> tuple[list[str], Fingerprint]:
    """The problems of one cell, and the database's fingerprint after it."""
    where = f"{row.id} as {role}"
    try:
        response = await send(http, row, world, role)
    except Exception as error:  # the in-process transport re-raises what would be a 500
        return [f"{where}: 500, the server raised {error!r}"], await fingerprint(app)
    status, expected = response.status_code, row.expected[role]
    problems: list[str] = []
    if not expected.admits(status):
        problems.append(f"{where}: expected {expected.value}, got {status} {response.text[:200]}")
    succeeded = 200 <= status < 300
    if not succeeded and (status >= 500 or set(json_of(response) or {}) != ERROR_KEYS):
        problems.append(f"{where}: {status} without the error shape: {response.text[:200]}")
    after = await fingerprint(app)
    if (not succeeded or row.method == "GET") and after != before:
        problems.append(f"{where}: {status} yet the database changed: {changed_tables(before, after)}")
    if succeeded and row.method != "GET" and after == before and role not in row.no_op_for:
        problems.append(f"{where}: {status} but nothing was written (is the world set up for this row?)")
    if status == 404 and role != "organiser":
        # A 404 that hides something must read exactly as one for an id that does not exist.
        ghost = phantom(world)
        twin = await send(http, row, ghost, role)
        if as_seen(twin, ghost) != as_seen(response, world):
            problems.append(f"{where}: 404 {response.text} differs from a missing id's {twin.status_code} {twin.text}")
    if succeeded and not row.path.endswith(".docx"):
        problems += [f"{where}: leaks {leak}" for leak in leaks(row, role, world, response.text, json_of(response))]
    return problems, after


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
async def test_row(app: FastAPI, row: Row) -> None:
    # One fresh world per role, so that an allowed change (a delete, a phase change) touches only its cell.
    worlds = dict(zip(ROLES, await build_worlds(app, len(ROLES), row.world), strict=True))
    before = await fingerprint(app)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 50000))
    problems: list[str] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for role in ROLES:
            found, before = await _check_cell(app, http, row, role, worlds[role], before)
            problems += found
    assert not problems, "\n".join(problems)


def test_every_row_states_every_role() -> None:
    for row in ROWS:
        assert set(row.expected) == set(ROLES), row.id
        assert all(isinstance(outcome, Outcome) for outcome in row.expected.values()), row.id
