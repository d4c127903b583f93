"""The reference meeting with all its 45 people: ten real Chromium phones and the rest through the
Python client, everyone joining the way the demo prints (personal roster links, the join code, the
open join link); the organiser fills the rooms with balanced assignment and opens them for a
planned duration; every phone lands in its room without a reload, the rooms close by themselves,
and after the meeting closes no screen shows a live question, a running timer or a stale banner.

A fresh copy of the reference meeting (staged for an organiser of its own), so that closing it
leaves the session's staged meeting to the other tests.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from app.client.connection import Event, LiveClient
from app.realtime.eventlog import room_stream
from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, organiser_call, stage

PHONES_BY_LINK = 4
PHONES_BY_CODE = 3
PHONES_BY_OPEN_LINK = 3
PYTHON_BY_CODE = 5  # of the participants left for the Python client; the others open their links
PLANNED_MINUTES = 1
# Waiting for the planned end (one minute) plus the phones' polling on a loaded 2-core machine.
ROOMS_CLOSE_TIMEOUT_MS = 150_000
BANNER = "Round 1: ten minutes left in the rooms"


@dataclass
class PythonPerson:
    """A participant or moderator on the Python client: an HTTP session and a live socket."""

    entry: dict[str, Any]
    http: httpx.AsyncClient
    live: LiveClient
    events: list[Event]


@pytest.fixture
async def python_people() -> AsyncIterator[list[PythonPerson]]:
    opened: list[PythonPerson] = []
    yield opened
    for person in opened:
        await person.live.close()
        await person.http.aclose()


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


async def python_session(base_url: str, path: str, body: dict[str, Any]) -> httpx.AsyncClient:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as anonymous:
        opened = await anonymous.post(path, json={**body, "session_delivery": "token"})
    assert opened.status_code in (200, 201), opened.text
    headers = {"authorization": f"Bearer {opened.json()['token']}"}
    return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30)


async def python_person(meeting: StagedMeeting, entry: dict[str, Any], http: httpx.AsyncClient) -> PythonPerson:
    # The client's name prefixes its command ids, which allow no spaces.
    live = LiveClient(meeting.base_url, http, meeting.meeting_id, name=f"py-{uuid.uuid4().hex[:8]}")
    await live.connect()
    await live.until_resumed()
    return PythonPerson(entry=entry, http=http, live=live, events=[])


async def join_phone_with_code(person: Person, meeting: StagedMeeting, entry: dict[str, Any]) -> None:
    """The start page, the code the demo prints, a name and the address the roster has."""
    await person.page.goto(f"{meeting.base_url}/")
    await person.page.get_by_label("Meeting code").fill(meeting.links.join_code)
    await fill_name_and_email(person.page, entry)


async def join_phone_with_open_link(person: Person, meeting: StagedMeeting, entry: dict[str, Any]) -> None:
    await person.page.goto(meeting.links.participant_join_link)
    await fill_name_and_email(person.page, entry)


async def fill_name_and_email(page: Page, entry: dict[str, Any]) -> None:
    await page.get_by_label("Your name").fill(entry["display_name"])
    await page.get_by_label("Email").fill(entry["email"])
    await page.get_by_role("button", name="Join").click()
    await page.wait_for_url("**/meeting/**")


async def next_event(person: PythonPerson, wanted: str, stream: str) -> Event:
    """Read the person's socket until an event of ``wanted`` type on ``stream`` arrives."""
    async with asyncio.timeout(60):
        while True:
            event = await person.live.events.get()
            person.events.append(event)
            if event.type == wanted and event.stream == stream:
                return event


async def push_first_question(meeting: StagedMeeting, moderator: PythonPerson, room_id: str) -> str:
    questions = organiser_call(meeting, "GET", f"/api/rooms/{room_id}/questions")
    assert isinstance(questions, dict)
    first = min(questions["allocations"], key=lambda allocation: allocation["position"])
    await moderator.live.command("question.push", room_id=room_id, question_id=first["question_id"])
    question = next(q for q in questions["questions"] if q["id"] == first["question_id"])
    return str(question["text"])


async def test_forty_five_people_join_fill_the_rooms_and_leave_nothing_behind(
    browser: Browser,
    live_server: LiveServer,
    people: list[Person],
    python_people: list[PythonPerson],
    artifacts: Path,
) -> None:
    meeting = stage(live_server, organiser_email=f"forty-five-{uuid.uuid4().hex[:6]}@breakouts.local")
    organiser_call(meeting, "POST", f"/api/meetings/{meeting.meeting_id}/phase", {"phase": "lobby"})
    organiser_call(meeting, "POST", f"/api/meetings/{meeting.meeting_id}/phase", {"phase": "plenary"})
    participants = [entry for entry in meeting.roster if entry["role"] == "participant"]
    moderators = [entry for entry in meeting.roster if entry["role"] == "moderator"]
    assert len(meeting.roster) == 45 and len(moderators) == 6

    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, meeting.organiser_link(), meeting.meeting_id)
    console = organiser.page

    # Ten phones: roster links, the code and the open link (these two with the roster's address,
    # so that they are their roster entries, not second people).
    phones: dict[str, Person] = {}
    ways = (
        [join_with_link_of(meeting)] * PHONES_BY_LINK
        + [join_phone_with_code] * PHONES_BY_CODE
        + [join_phone_with_open_link] * PHONES_BY_OPEN_LINK
    )
    for entry, way in zip(participants, ways, strict=False):
        phone = await open_person(browser, entry["display_name"], phone=True)
        people.append(phone)
        await way(phone, meeting, entry)
        phones[entry["id"]] = phone
    for phone in phones.values():
        await expect(phone.page.get_by_text("Now: Plenary")).to_be_visible()

    # The other 27 participants and the six moderators on the Python client.
    rest = participants[len(phones) :]
    on_python: list[PythonPerson] = []
    for index, entry in enumerate(rest):
        if index < PYTHON_BY_CODE:
            body = {"code": meeting.links.join_code, "display_name": entry["display_name"], "email": entry["email"]}
            http = await python_session(meeting.base_url, "/api/join", body)
        else:
            path = f"/api/invites/{token_of(meeting.personal_link(entry['id']))}/open"
            http = await python_session(meeting.base_url, path, {})
        on_python.append(await python_person(meeting, entry, http))
        python_people.append(on_python[-1])
    moderator_clients: dict[str, PythonPerson] = {}
    for room_name, room_id in meeting.rooms.items():
        path = f"/api/invites/{token_of(meeting.moderator_link(room_name))}/open"
        entry = {"display_name": f"moderator of {room_name}", "room_id": room_id}
        moderator_clients[room_id] = await python_person(
            meeting, entry, await python_session(meeting.base_url, path, {})
        )
        python_people.append(moderator_clients[room_id])

    # Nobody became a second person: still 37 participants, each joined once.
    roster = organiser_call(meeting, "GET", f"/api/meetings/{meeting.meeting_id}/participants")
    assert isinstance(roster, list)
    assert sorted(e["id"] for e in roster if e["role"] == "participant") == sorted(e["id"] for e in participants)

    # The organiser fills the rooms with balanced assignment.
    await apply_balanced_assignment(console, meeting)
    roster = organiser_call(meeting, "GET", f"/api/meetings/{meeting.meeting_id}/participants")
    assert isinstance(roster, list)
    room_of = {entry["id"]: entry["room_id"] for entry in roster if entry["role"] == "participant"}
    assert all(room_of.values()), "balanced assignment places every participant"
    name_of_room = {room_id: name for name, room_id in meeting.rooms.items()}

    # Breakouts for a planned minute, with no countdown: the rooms close at the planned end.
    await console.get_by_test_id("tab-live").click()
    await console.get_by_test_id("planned-minutes").fill(str(PLANNED_MINUTES))
    await console.get_by_test_id("plan-countdown").select_option("0")
    await console.get_by_test_id("phase-breakouts").click()
    questions = {
        room_id: await push_first_question(meeting, moderator, room_id)
        for room_id, moderator in moderator_clients.items()
    }
    organiser_call(meeting, "POST", f"/api/meetings/{meeting.meeting_id}/broadcasts", {"message": BANNER})
    first_room = next(iter(moderator_clients))
    await moderator_clients[first_room].live.command(
        "timer.start", meeting_id=meeting.meeting_id, room_id=first_room, seconds=600
    )

    for participant_id, phone in phones.items():
        room_id = room_of[participant_id]
        await expect(phone.page.get_by_test_id("room-name")).to_have_text(name_of_room[room_id])
        await expect(phone.page.get_by_test_id("live-question")).to_contain_text(questions[room_id])
        await expect(phone.page.get_by_test_id("broadcast")).to_contain_text(BANNER)
    await next(iter(phones.values())).page.screenshot(path=artifacts / "forty-five-phone-in-room.png")
    await console.screenshot(path=artifacts / "forty-five-console-breakouts.png")
    for person in on_python:
        room_id = room_of[person.entry["id"]]
        await next_event(person, "question.pushed", room_stream(uuid.UUID(room_id)))
        # The room they left says they moved out; nothing of another room's questions reaches them.
        questions_seen = {event.stream for event in person.events if event.type.startswith("question.")}
        assert questions_seen == {room_stream(uuid.UUID(room_id))}, (person.entry["display_name"], questions_seen)

    # The planned minute ends: every room closes by itself, on every phone.
    for phone in phones.values():
        await expect(phone.page.get_by_text("Now: Report-back")).to_be_visible(timeout=ROOMS_CLOSE_TIMEOUT_MS)

    await console.get_by_test_id("phase-closed").click()
    await console.get_by_test_id("close-meeting-dialog").get_by_role("button", name="Close the meeting").click()
    for phone in phones.values():
        await expect(phone.page.get_by_text("Now: Closed")).to_be_visible()
        await expect(phone.page.get_by_test_id("live-question")).to_have_count(0)
        await expect(phone.page.get_by_test_id("countdowns")).to_have_count(0)
        await expect(phone.page.get_by_test_id("broadcast")).to_have_count(0)
    await expect(console.get_by_role("heading", name="Meeting timer")).to_have_count(0)
    await next(iter(phones.values())).page.screenshot(path=artifacts / "forty-five-phone-closed.png")

    # What the server holds agrees with the screens: no live question, no running timer.
    for room_id in meeting.rooms.values():
        state = organiser_call(meeting, "GET", f"/api/rooms/{room_id}/questions")
        assert isinstance(state, dict)
        assert [a for a in state["allocations"] if a["state"] == "live"] == [], room_id
    assert organiser_call(meeting, "GET", f"/api/meetings/{meeting.meeting_id}/timers") == []  # running ones
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)


def join_with_link_of(meeting: StagedMeeting) -> Any:
    async def join(person: Person, staged: StagedMeeting, entry: dict[str, Any]) -> None:
        await join_with_link(person, staged.personal_link(entry["id"]))

    return join


async def apply_balanced_assignment(console: Page, meeting: StagedMeeting) -> None:
    """The People tab: preview balanced rooms (nothing written yet), then apply exactly that."""
    await console.get_by_test_id("tab-people").click()
    await console.get_by_role("button", name="Preview balanced rooms").click()
    await expect(console.get_by_test_id("balance-preview")).to_be_visible()
    await console.screenshot(path=ARTIFACTS / "forty-five-console-balanced-preview.png", full_page=True)
    await console.get_by_role("button", name="Apply this assignment").click()
    await expect(console.get_by_text(re.compile(r"Applied: \d+"))).to_be_visible()
    await expect(console.get_by_text("Everyone is in a room.")).to_be_visible()
