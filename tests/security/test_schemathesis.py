"""A bounded, seeded schemathesis run over the whole OpenAPI document, anonymous and as the
organiser of a meeting with a room and a question (their ids stand in for the path parameters).
It fails on any 5xx, on any status the document does not list for the operation, on a method an
API path does not list answered other than 405 with the exact ``Allow``, and on any error outside
the ``{code, message, details}`` shape (``schemathesis_checks.py``)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.realtime.people import world
from tests.realtime.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261207
# Test cases per operation and phase: a few thousand requests over the hundred operations per run.
EXAMPLES = 4
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "unsupported_method",
        "allow_header_conformance",
        "error_in_the_error_shape",
    )
)


async def _run(server: LiveServer, config: Path, *headers: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("st")),
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{server.base_url}/openapi.json",
        *headers,
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=str(config.parent),
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.security.schemathesis_checks", "PYTHONPATH": str(ROOT)},
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


async def test_the_whole_api_holds_under_generated_requests(live_server: LiveServer, tmp_path: Path) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        question = await w.question([room])
        token = str(w.organiser.http.headers["authorization"]).split(" ", 1)[1]
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            "[parameters]\n"
            f'"path.meeting_id" = "{w.meeting_id}"\n'
            f'"path.room_id" = "{room}"\n'
            f'"path.question_id" = "{question}"\n'
        )
        for who, headers in (("anonymous", ()), ("organiser", ("--header", f"Authorization: Bearer {token}"))):
            status, output = await _run(live_server, config, *headers)
            assert status == 0, f"schemathesis, {who}:\n{output[-6000:]}"
