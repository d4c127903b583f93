"""Finding: "at most one" rules decided on a stale read. On PostgreSQL two requests that arrive at
the same moment each read the state before the other's commit: a closed meeting reopened, a room
name was taken twice, a vote withdrawn twice. Each rule is decided against the committed state (a
row lock), so exactly one of the racing requests wins and the other gets 409. The requests here are
real concurrent clients, repeated for enough rounds that an unserialised rule loses a round."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter

from sqlalchemy import select

from app.questions.models import Allocation
from app.realtime.eventlog import EventRecord
from app.vocabulary import QuestionState
from tests.questions.staging import Stage
from tests.world import new_meeting

ROUNDS = 12


async def _phase_events(stage: Stage, meeting_id: str) -> list[tuple[str, str]]:
    async with stage.state.database.reading() as session:
        statement = (
            select(EventRecord)
            .where(EventRecord.meeting_id == uuid.UUID(meeting_id), EventRecord.type == "meeting.phase_changed")
            .order_by(EventRecord.seq)
        )
        return [(event.payload["previous"], event.payload["phase"]) for event in await session.scalars(statement)]


async def _meeting_in(stage: Stage, *phases: str) -> str:
    meeting = await new_meeting(stage.organiser)
    for phase in phases:
        response = await stage.organiser.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": phase})
        assert response.status_code == 200, response.text
    return str(meeting["id"])


async def _assert_one_chain(stage: Stage, meeting_id: str) -> None:
    """Every recorded change starts from the phase the one before it reached, ending at the phase now."""
    events = await _phase_events(stage, meeting_id)
    for (_, reached), (previous, _) in itertools.pairwise(events):
        assert previous == reached, events
    now = await stage.organiser.get(f"/api/meetings/{meeting_id}")
    assert now.json()["phase"] == events[-1][1], events


async def test_racing_close_and_reopen_leave_exactly_one_winner(stage: Stage) -> None:
    second = await stage.client()
    second.cookies = stage.organiser.cookies
    for round_number in range(ROUNDS):
        meeting_id = await _meeting_in(stage, "lobby", "plenary", "report_back")
        url = f"/api/meetings/{meeting_id}/phase"
        responses = await asyncio.gather(
            stage.organiser.post(url, json={"phase": "closed"}), second.post(url, json={"phase": "breakouts"})
        )
        statuses = sorted(response.status_code for response in responses)
        assert statuses == [200, 409], (round_number, [response.text for response in responses])
        await _assert_one_chain(stage, meeting_id)


async def test_racing_phase_changes_apply_one_after_the_other(stage: Stage) -> None:
    second = await stage.client()
    second.cookies = stage.organiser.cookies
    for _ in range(ROUNDS):
        meeting_id = await _meeting_in(stage, "lobby", "plenary", "breakouts")
        url = f"/api/meetings/{meeting_id}/phase"
        await asyncio.gather(
            stage.organiser.post(url, json={"phase": "plenary"}), second.post(url, json={"phase": "report_back"})
        )
        await _assert_one_chain(stage, meeting_id)


async def test_racing_rooms_of_one_name_leave_one_room(stage: Stage) -> None:
    organiser, second = stage.organiser, await stage.client()
    second.cookies = organiser.cookies
    url = f"/api/meetings/{stage.meeting_id}/rooms"
    for round_number in range(ROUNDS):
        name = f"Victim support {round_number}"
        created = await asyncio.gather(
            organiser.post(url, json={"name": name}), second.post(url, json={"name": name.upper()})
        )
        assert sorted(response.status_code for response in created) == [201, 409], round_number
        renamed = await asyncio.gather(
            organiser.patch(f"/api/rooms/{stage.rooms[0]}", json={"name": f"Prevention {round_number}"}),
            second.patch(f"/api/rooms/{stage.rooms[1]}", json={"name": f"PREVENTION {round_number}"}),
        )
        assert sorted(response.status_code for response in renamed) == [200, 409], round_number
    rooms = (await organiser.get(url)).json()
    counts = Counter(room["name"].casefold() for room in rooms)
    assert max(counts.values()) == 1, counts


async def test_racing_vote_withdrawals_succeed_once(stage: Stage) -> None:
    question = await stage.live_question()
    author, voter = await stage.participant(0), await stage.participant(0)
    twin = await stage.client()
    twin.cookies = voter.http.cookies
    for round_number in range(ROUNDS):
        created = await author.http.post(
            f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers",
            json={"client_id": f"c-{round_number}", "text": f"Answer {round_number}"},
        )
        url = f"/api/answers/{created.json()['id']}/vote"
        upvotes = await asyncio.gather(voter.http.post(url, json={"upvote": True}), twin.post(url, json={}))
        assert sorted(response.status_code for response in upvotes) == [200, 409], round_number
        withdrawals = await asyncio.gather(
            voter.http.post(url, json={"upvote": False}), twin.post(url, json={"upvote": False})
        )
        statuses = sorted(response.status_code for response in withdrawals)
        assert statuses == [200, 409], (round_number, [response.text for response in withdrawals])
        events = await stage.events("answer.voted", f"room:{stage.rooms[0]}")
        mine = [event.payload["votes"] for event in events if event.payload["answer_id"] == created.json()["id"]]
        assert mine == [1, 0], mine


async def test_racing_pushes_leave_one_live_question_per_room(stage: Stage) -> None:
    second = await stage.client()
    second.cookies = stage.organiser.cookies
    for round_number in range(ROUNDS // 2):
        first, other = await stage.question(), await stage.question()
        await stage.allocate(first["id"], 0)
        await stage.allocate(other["id"], 0)
        room = stage.rooms[0]
        pushed = await asyncio.gather(
            stage.organiser.post(f"/api/rooms/{room}/questions/{first['id']}/push"),
            second.post(f"/api/rooms/{room}/questions/{other['id']}/push"),
        )
        assert sorted(response.status_code for response in pushed) == [200, 409], round_number
        winner = next(q for q, r in zip((first, other), pushed, strict=True) if r.status_code == 200)
        await stage.close(winner["id"])


async def test_racing_finding_steps_take_effect_once(stage: Stage) -> None:
    moderator = await stage.moderator(0)
    twin = await stage.client()
    twin.cookies = moderator.http.cookies
    for round_number in range(ROUNDS // 2):
        drafted = await moderator.http.post(
            f"/api/rooms/{stage.rooms[0]}/findings", json={"text": f"Finding {round_number}"}
        )
        assert drafted.status_code == 201, drafted.text
        url = f"/api/findings/{drafted.json()['id']}"
        for step in ("propose", "confirm"):
            responses = await asyncio.gather(moderator.http.post(f"{url}/{step}"), twin.post(f"{url}/{step}"))
            assert sorted(response.status_code for response in responses) == [200, 409], (round_number, step)
    assert len(await stage.events("finding.confirmed")) == ROUNDS // 2


async def test_a_push_racing_the_room_finishing_never_leaves_a_question_live_in_a_finished_room(
    stage: Stage,
) -> None:
    room = stage.rooms[0]
    moderator = await stage.moderator(0)
    for round_number in range(ROUNDS):
        question = await stage.question()
        await stage.allocate(question["id"], 0)
        pushed, finished = await asyncio.gather(
            stage.organiser.post(f"/api/rooms/{room}/questions/{question['id']}/push"),
            moderator.http.put(f"/api/rooms/{room}/finished", json={"finished": True}),
        )
        assert finished.status_code == 200, finished.text
        # The push went first (and the finishing closed it) or it came after and was refused.
        assert pushed.status_code in (200, 409), pushed.text
        if pushed.status_code == 409:
            assert pushed.json()["code"] == "room_finished", round_number
        assert await stage.count(Allocation, room_id=uuid.UUID(room), state=QuestionState.LIVE) == 0, round_number
        reopened = await moderator.http.put(f"/api/rooms/{room}/finished", json={"finished": False})
        assert reopened.status_code == 200, reopened.text
