"""Joins by code go through the process's write pipeline: the joins that arrive together are
written in one transaction, each in its own savepoint, and each gets what it would have got
alone (the same rules decide: a roster entry is claimed once, the rest are walk-ins)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from app.auth.schemas import JoinRequest
from app.auth.service import join_meeting
from app.errors import Conflict
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.participants.service import add_joined_participant
from app.realtime.outbox import UnitOfWork
from app.vocabulary import JoinedBy, Role
from tests.participants.scene import Scene

CROWD = 20


async def test_a_crowd_joining_at_once_each_gets_what_joining_alone_gives(scene: Scene) -> None:
    entry = await scene.entry("Rina Das", email="rina@ngo.example")
    code = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}")).json()["join_code"]
    phones = [await scene.client() for _ in range(CROWD)]
    bodies = [{"code": code, "display_name": f"Guest {n}", "session_delivery": "token"} for n in range(CROWD)]
    # Two of them give the roster's address: one claims the entry, the other is a walk-in of its own.
    bodies[3]["email"] = bodies[11]["email"] = "Rina@NGO.example"

    joined = await asyncio.gather(
        *(phone.post("/api/join", json=body) for phone, body in zip(phones, bodies, strict=True))
    )

    assert [answer.status_code for answer in joined] == [200] * CROWD, [a.text for a in joined]
    ids = [answer.json()["participant_id"] for answer in joined]
    assert len(set(ids)) == CROWD and ids.count(entry["id"]) == 1
    roster = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    assert len(roster) == CROWD and {person["id"] for person in roster} == set(ids)
    assert len({person["pseudonym"] for person in roster}) == CROWD
    # Staff heard of each walk-in once (and of the entry once, when the organiser added it).
    joined_events = [event for event in await scene.events(scene.staff_stream()) if event.type == "participant.joined"]
    assert sorted(event.payload["participant"]["id"] for event in joined_events) == sorted(ids)
    for phone, answer in zip(phones, joined, strict=True):
        who = await phone.get("/api/auth/me", headers={"authorization": f"Bearer {answer.json()['token']}"})
        assert who.status_code == 200 and who.json()["participant"]["participant_id"] == answer.json()["participant_id"]


async def test_a_write_that_fails_in_a_batch_rolls_back_alone(scene: Scene) -> None:
    meeting_id = uuid.UUID(scene.meeting_id)
    settings = scene.state.settings
    commands = scene.state.live.commands

    async def joins_then_fails(uow: UnitOfWork) -> None:
        meeting = await uow.session.get_one(Meeting, meeting_id)
        await add_joined_participant(
            uow,
            meeting,
            JoinRequest(display_name="Refused"),
            role=Role.PARTICIPANT,
            room_id=None,
            joined_by=JoinedBy.CODE,
        )
        raise Conflict("refused after writing")

    first, refused, last = await asyncio.gather(
        commands.write(lambda uow: join_meeting(uow, settings, meeting_id, JoinRequest(display_name="First"))),
        commands.write(joins_then_fails),
        commands.write(lambda uow: join_meeting(uow, settings, meeting_id, JoinRequest(display_name="Last"))),
        return_exceptions=True,
    )

    assert isinstance(refused, Conflict)
    assert not isinstance(first, BaseException) and not isinstance(last, BaseException)
    async with scene.state.database.reading() as session:
        names = set(await session.scalars(select(Participant.display_name).where(Participant.meeting_id == meeting_id)))
    assert names == {"First", "Last"}
    joined = [
        e.payload["participant"]["display_name"]
        for e in await scene.events(scene.staff_stream())
        if e.type == "participant.joined"
    ]
    assert joined == ["First", "Last"]
