"""The replay tool (``bench/replay.py``) against a real server process: a French consultation of
40 statements in four rooms goes through the public API and every check holds (each acked answer
stored once, in its room, verbatim, votes as cast, "raised in n of m rooms", reports built, no
5xx). The checks themselves are shown to fail on a plenary view that gets provenance wrong."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.migrations_path import upgrade
from bench.replay import Acked, Meeting, ReplayResult, _check_plenary, plan_meeting, read_statements, replay
from tests.server_process import ORGANISER_EMAIL, ServerProcess, add_organiser
from tests.world import ORGANISER_PASSWORD

FRENCH = Path(__file__).resolve().parents[2] / "bench" / "data" / "replay" / "fr-consultation.csv"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'replay.db'}"
    upgrade(url)
    await add_organiser(url)
    process = ServerProcess("replay", url)
    await process.start()
    try:
        yield process
    finally:
        await process.stop()


async def test_a_french_consultation_replays_with_every_check_holding(server: ServerProcess) -> None:
    statements = [s for s in read_statements(FRENCH) if s.room in ("Salle 1", "Salle 2", "Salle 3", "Salle 4")][:40]
    plan = plan_meeting(statements, count=None, rooms=4, code_share=0.25, seed=3)
    assert len(plan.rooms) == 4 and any(p.by_code for p in plan.people) and not all(p.by_code for p in plan.people)

    result = await replay(server.base_url, ORGANISER_EMAIL, ORGANISER_PASSWORD, plan, votes_per_person=2)

    assert [c.name for c in result.failures] == [], result.lines()
    assert result.acked == 40 and not result.refused
    assert result.retries >= 4 and result.votes > 0
    assert not any(status >= 500 for status in result.statuses)
    names = {c.name for c in result.checks}
    assert {
        "plenary: every acked answer once",
        "plenary: provenance and verbatim text",
        "plenary: raised in n of m rooms, room counts",
        "plenary: no point joins two claims",
        "exports: every acked answer once, in its room, verbatim, votes as cast",
        "report: quotes verbatim, annex once, points' rooms",
        "report formats build",
    } <= names


def _scene() -> tuple[Meeting, dict[str, Any]]:
    meeting = Meeting(id="m", question_id="q", rooms={"Room 1": "r1", "Room 2": "r2"})
    meeting.acked = {
        "a1": Acked("a1", "r1", "Plus de médecins", "p1", None),
        "a2": Acked("a2", "r2", "Plus de médecins !", "p2", None),
    }

    def member(answer: str, room: str, text: str) -> dict[str, Any]:
        name = {"r1": "Room 1", "r2": "Room 2"}[room]
        return {
            "kind": "answer",
            "id": answer,
            "room_id": room,
            "room_name": name,
            "text": text,
            "answer_ids": [answer],
        }

    rooms = [{"id": "r1", "name": "Room 1"}, {"id": "r2", "name": "Room 2"}]
    group = {
        "id": "g",
        "label": "Médecins",
        "rooms": rooms,
        "room_count": 2,
        "rooms_answered": 2,
        "raised_in": "raised in 2 of 2 rooms",
        "members": [member("a1", "r1", "Plus de médecins"), member("a2", "r2", "Plus de médecins !")],
    }
    question = {
        "question": {"id": "q"},
        "groups": [group],
        "ungrouped": [],
        "point_themes": [],
        "rooms": [
            {"room": {"id": "r1", "name": "Room 1"}, "answers": 1, "top_answers": []},
            {"room": {"id": "r2", "name": "Room 2"}, "answers": 1, "top_answers": []},
        ],
    }
    return meeting, {"themes": [{"questions": [question]}]}


def _failed(meeting: Meeting, plenary: dict[str, Any]) -> set[str]:
    result = ReplayResult()
    _check_plenary(plenary, meeting, result)
    return {c.name for c in result.failures}


def test_the_plenary_checks_catch_wrong_provenance_counts_and_text() -> None:
    meeting, plenary = _scene()
    assert _failed(meeting, plenary) == set()

    def tampered(change: Any) -> dict[str, Any]:
        view = copy.deepcopy(plenary)
        change(view["themes"][0]["questions"][0])
        return view

    def other_room(q: dict[str, Any]) -> None:
        q["groups"][0]["members"][1].update(room_id="r1", room_name="Room 1")

    def other_text(q: dict[str, Any]) -> None:
        q["groups"][0]["members"][0]["text"] = "Plus de médecins."

    def twice(q: dict[str, Any]) -> None:
        q["ungrouped"].append(q["groups"][0]["members"][0])

    def raised(q: dict[str, Any]) -> None:
        q["groups"][0].update(room_count=1, raised_in="raised in 1 of 2 rooms")

    def count(q: dict[str, Any]) -> None:
        q["rooms"][0]["answers"] = 2

    assert "plenary: provenance and verbatim text" in _failed(meeting, tampered(other_room))
    assert "plenary: provenance and verbatim text" in _failed(meeting, tampered(other_text))
    assert "plenary: every acked answer once" in _failed(meeting, tampered(twice))
    assert "plenary: raised in n of m rooms, room counts" in _failed(meeting, tampered(raised))
    assert "plenary: raised in n of m rooms, room counts" in _failed(meeting, tampered(count))
