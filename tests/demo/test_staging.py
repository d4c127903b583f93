"""`breakouts demo` stages the reference meeting: its people, rooms, questions and working links."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.auth.models import Account
from app.demo.schemas import DemoLinks
from app.demo.service import DEFAULT_ORGANISER_EMAIL, stage_reference_meeting
from app.errors import InvalidInput
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.realtime.eventlog import EventRecord, staff_stream
from app.rooms.models import Room, RoomModerator
from app.state import AppState
from tests.conftest import ClientFactory
from tests.world import ORGANISER_PASSWORD, add_account

Steps = list[tuple[str, int, int]]


async def stage(app: FastAPI, steps: Steps | None = None, email: str = DEFAULT_ORGANISER_EMAIL) -> DemoLinks:
    state: AppState = app.state.breakouts
    record = (lambda step, done, total: steps.append((step, done, total))) if steps is not None else None
    return await stage_reference_meeting(
        state.database, state.bus, state.settings, organiser_email=email, progress=record
    )


async def rows(app: FastAPI, statement: Any) -> list[Any]:
    state: AppState = app.state.breakouts
    async with state.database.reading() as session:
        return list((await session.execute(statement)).all())


def token(url: str) -> str:
    return url.rsplit("/", 1)[1]


async def open_link(http: httpx.AsyncClient, url: str, **body: str) -> httpx.Response:
    return await http.post(f"/api/invites/{token(url)}/open", json=body)


async def test_stages_the_reference_people_in_their_rooms(app: FastAPI) -> None:
    links = await stage(app)
    meeting_id = links.meeting_id

    people = [row[0] for row in await rows(app, select(Participant).where(Participant.meeting_id == meeting_id))]
    rooms = [row[0] for row in await rows(app, select(Room).where(Room.meeting_id == meeting_id))]
    moderators = await rows(app, select(RoomModerator.room_id, Participant).join(Participant))

    assert len(people) == 45
    assert Counter(p.gender for p in people) == {"female": 15, "male": 30}
    assert Counter(p.role for p in people) == {"organiser": 1, "observer": 1, "moderator": 6, "participant": 37}
    assert len(rooms) == 6
    assert sorted(room_id for room_id, _ in moderators) == sorted(room.id for room in rooms)
    assert all(moderator.role == "moderator" and moderator.room_id == room_id for room_id, moderator in moderators)
    participants = [p for p in people if p.role == "participant"]
    assert all(p.room_id is not None for p in participants)
    for gender in ("female", "male"):
        for counted in (participants, [p for p in people if p.room_id is not None]):
            per_room = [sum(1 for p in counted if p.room_id == room.id and p.gender == gender) for room in rooms]
            assert max(per_room) - min(per_room) <= 1, (gender, per_room)
    assert all(p.organisation and p.email and p.organisation_type for p in people)

    events = [row[0] for row in await rows(app, select(EventRecord).where(EventRecord.meeting_id == meeting_id))]
    joined = [e for e in events if e.type == "participant.joined"]
    assert len(joined) == 45 and {e.stream for e in joined} == {staff_stream(meeting_id)}
    assert not any("email" in e.payload["participant"] or "gender" in e.payload["participant"] for e in joined)
    moderated = {
        e.payload["room"]["id"]: e.payload["room"]["moderator_ids"] for e in events if e.type == "room.updated"
    }
    assert moderated == {str(room_id): [str(moderator.id)] for room_id, moderator in moderators}


async def test_stages_the_reference_agenda_and_questions(app: FastAPI, client: httpx.AsyncClient) -> None:
    links = await stage(app)
    assert (await open_link(client, links.organiser_link)).status_code == 200

    meeting = (await client.get(f"/api/meetings/{links.meeting_id}")).json()
    s1_rooms = await rows(
        app,
        select(Allocation.room_id, Allocation.position)
        .join(Question)
        .where(Question.meeting_id == links.meeting_id, Question.code == "S1"),
    )

    assert meeting["phase"] == "draft" and meeting["join_code"] == links.join_code
    assert meeting["title"] == links.title == "Think tank policy session on migrant smuggling"
    assert [(item["kind"], item["planned_minutes"]) for item in meeting["agenda"]] == [
        ("talk", 5), ("talk", 10), ("talk", 15), ("talk", 15), ("breakouts", 45), ("report_back", 30), ("talk", 5)
    ]  # fmt: skip
    assert len({room_id for room_id, _ in s1_rooms}) == 6
    template = await client.get(f"/api/meetings/{links.meeting_id}/template")
    assert template.status_code == 200 and "rooms: all" in template.text


async def test_restaging_returns_the_same_meeting_and_links(app: FastAPI) -> None:
    first = await stage(app)
    again = await stage(app)

    assert first.created and not again.created
    assert first.organiser_password is not None and again.organiser_password is None
    assert again.meeting_id == first.meeting_id and again.join_code == first.join_code
    assert again.moderator_links == first.moderator_links
    assert again.participant_links == first.participant_links
    assert again.policy_lead_link == first.policy_lead_link
    assert again.participant_join_link == first.participant_join_link
    assert (await rows(app, select(func.count()).select_from(Meeting)))[0][0] == 1
    assert (await rows(app, select(func.count()).select_from(Participant)))[0][0] == 45
    assert (await rows(app, select(func.count()).select_from(Room)))[0][0] == 6
    assert (await rows(app, select(func.count()).select_from(Account)))[0][0] == 1


async def test_an_existing_account_keeps_its_password(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_account(app, "lead@example.org")

    links = await stage(app, email="lead@example.org")

    assert links.created and links.organiser_password is None and links.organiser_email == "lead@example.org"
    login = await client.post("/api/auth/login", json={"email": "lead@example.org", "password": ORGANISER_PASSWORD})
    assert login.status_code == 200
    assert [m["id"] for m in (await client.get("/api/meetings")).json()] == [str(links.meeting_id)]


async def test_every_link_opens_a_session_with_its_role(app: FastAPI, client_factory: ClientFactory) -> None:
    links = await stage(app)
    room_ids = {name: room_id for room_id, name in await rows(app, select(Room.id, Room.name))}
    assert [link.room_name for link in links.moderator_links] == [f"Room {n}" for n in range(1, 7)]
    assert [link.room_name for link in links.participant_links] == ["Room 1", "Room 2", "Room 3"]

    async with client_factory() as organiser, client_factory() as by_password:
        assert (await open_link(organiser, links.organiser_link)).status_code == 200
        me = (await organiser.get("/api/auth/me")).json()
        account_id = (await rows(app, select(Account.id).where(Account.email == links.organiser_email)))[0][0]
        assert me["account"]["account_id"] == str(account_id) and me["participant"] is None
        assert (await organiser.get(f"/api/meetings/{links.meeting_id}/template")).status_code == 200
        login = {"email": links.organiser_email, "password": links.organiser_password}
        assert (await by_password.post("/api/auth/login", json=login)).status_code == 200

    for link in links.moderator_links:
        async with client_factory() as moderator:
            session = (await open_link(moderator, link.url)).json()
            me = (await moderator.get("/api/auth/me")).json()["participant"]
            assert session["role"] == me["role"] == "moderator"
            assert session["room_id"] == me["room_id"] == str(room_ids[link.room_name])
            assert me["display_name"] == link.moderator_name

    for person in links.participant_links:
        async with client_factory() as participant:
            session = (await open_link(participant, person.url)).json()
            assert (session["role"], session["display_name"]) == ("participant", person.display_name)
            assert session["room_id"] == str(room_ids[person.room_name or ""])

    assert links.policy_lead_link is not None
    async with client_factory() as lead:
        assert (await open_link(lead, links.policy_lead_link.url)).json()["role"] == "observer"

    async with client_factory() as newcomer, client_factory() as nameless, client_factory() as by_code:
        joined = await open_link(newcomer, links.participant_join_link, display_name="Late Arrival")
        assert joined.status_code == 200
        assert (joined.json()["role"], joined.json()["room_id"]) == ("participant", None)
        assert (await open_link(nameless, links.participant_join_link)).status_code == 422
        coded = await by_code.post("/api/join", json={"code": links.join_code, "display_name": "By Code"})
        assert coded.status_code == 200 and coded.json()["meeting_id"] == str(links.meeting_id)
    assert (await rows(app, select(func.count()).select_from(Participant)))[0][0] == 47


async def test_progress_is_reported_step_by_step(app: FastAPI) -> None:
    steps: Steps = []
    await stage(app, steps)

    assert [step for step, _, _ in steps][:2] == ["organiser account", "meeting"]
    people = [(done, total) for step, done, total in steps if step == "people"]
    assert people == [(done, 45) for done in range(1, 46)]
    links = [(done, total) for step, done, total in steps if step == "links"]
    assert links[-1][0] == links[-1][1] and [done for done, _ in links] == sorted(done for done, _ in links)


@pytest.mark.parametrize("email", ["not-an-address", ""])
async def test_a_bad_organiser_address_is_refused(app: FastAPI, email: str) -> None:
    with pytest.raises(InvalidInput, match="organiser_email"):
        await stage(app, email=email)
    assert (await rows(app, select(func.count()).select_from(Account)))[0][0] == 0
