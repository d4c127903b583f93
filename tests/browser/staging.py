"""Staging the reference meeting for the browser tests, through the server's own demo staging,
and the few REST calls the tests make as the organiser (personal invite links)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from app.database import create_database
from app.demo.schemas import DemoLinks
from app.demo.service import DEFAULT_ORGANISER_EMAIL, another_organiser_link, stage_reference_meeting
from app.realtime.bus import InProcessBus
from app.settings import Settings

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer


@dataclass(frozen=True)
class StagedMeeting:
    links: DemoLinks
    base_url: str
    organiser_token: str
    rooms: dict[str, str]  # room name → id
    roster: list[dict[str, Any]]
    server: LiveServer

    def organiser_link(self) -> str:
        """A new organiser sign-in link, as ``breakouts demo`` prints one (each opens once)."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, _organiser_link(self.server, self.links)).result()

    @property
    def meeting_id(self) -> str:
        return str(self.links.meeting_id)

    def moderator_link(self, room_name: str) -> str:
        return next(link.url for link in self.links.moderator_links if link.room_name == room_name)

    def participants_of(self, room_name: str) -> list[dict[str, Any]]:
        room_id = self.rooms[room_name]
        return [person for person in self.roster if person["room_id"] == room_id and person["role"] == "participant"]

    def personal_link(self, participant_id: str) -> str:
        """A personal invite that signs this roster entry in (made by the organiser over REST)."""
        response = httpx.post(
            f"{self.base_url}/api/meetings/{self.meeting_id}/invites",
            json={"role": "participant", "participant_id": participant_id, "label": "browser test"},
            headers={"authorization": f"Bearer {self.organiser_token}"},
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["url"])


def _settings(live_server: LiveServer) -> Settings:
    return Settings(
        environment="test",
        secret_key=live_server.environment["BREAKOUTS_SECRET_KEY"],
        database_url=live_server.database_url,
        public_base_url=live_server.base_url,
    )


async def _organiser_link(live_server: LiveServer, links: DemoLinks) -> str:
    database = create_database(live_server.database_url)
    try:
        return await another_organiser_link(database, InProcessBus(), _settings(live_server), links)
    finally:
        await database.dispose()


async def _stage(live_server: LiveServer, organiser_email: str) -> DemoLinks:
    settings = _settings(live_server)
    database = create_database(settings.database_url)
    bus = InProcessBus()
    await bus.start()
    try:
        # The events staging writes reach the server's clients from the event log (snapshots and
        # replay); this process's bus has no subscribers.
        return await stage_reference_meeting(database, bus, settings, organiser_email=organiser_email)
    finally:
        await bus.stop()
        await database.dispose()


def stage(live_server: LiveServer, organiser_email: str = DEFAULT_ORGANISER_EMAIL) -> StagedMeeting:
    """Stage the reference meeting for ``organiser_email`` (a thread of its own: the tests' event
    loops stay untouched); another address gives another, fresh copy of the meeting."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        links = pool.submit(asyncio.run, _stage(live_server, organiser_email)).result()
    base = live_server.base_url
    assert links.organiser_password is not None, "the browser tests stage into a fresh database"
    login = httpx.post(
        f"{base}/api/auth/login",
        json={"email": links.organiser_email, "password": links.organiser_password, "session_delivery": "token"},
        timeout=10,
    )
    login.raise_for_status()
    token = str(login.json()["token"])
    headers = {"authorization": f"Bearer {token}"}
    rooms = httpx.get(f"{base}/api/meetings/{links.meeting_id}/rooms", headers=headers, timeout=10).json()
    roster = httpx.get(f"{base}/api/meetings/{links.meeting_id}/participants", headers=headers, timeout=10).json()
    return StagedMeeting(
        links=links,
        base_url=base,
        organiser_token=token,
        rooms={room["name"]: room["id"] for room in rooms},
        roster=roster,
        server=live_server,
    )


# The next step from each phase towards the plenary or the breakouts (`app/meetings/phases.py`).
_TOWARDS = {
    "plenary": {"draft": "lobby", "lobby": "plenary", "breakouts": "plenary", "report_back": "plenary"},
    "breakouts": {"draft": "lobby", "lobby": "plenary", "plenary": "breakouts", "report_back": "breakouts"},
}


def organiser_call(staged: StagedMeeting, method: str, path: str, body: object = None) -> object:
    response = httpx.request(
        method,
        f"{staged.base_url}{path}",
        json=body,
        headers={"authorization": f"Bearer {staged.organiser_token}"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json() if response.content else None


def bring_to(staged: StagedMeeting, target: str) -> None:
    """Bring the meeting to the plenary or the breakouts from wherever an earlier test left it."""
    for _ in range(4):
        meeting = organiser_call(staged, "GET", f"/api/meetings/{staged.meeting_id}")
        assert isinstance(meeting, dict)
        phase = meeting["phase"]
        if phase == target:
            return
        organiser_call(staged, "POST", f"/api/meetings/{staged.meeting_id}/phase", {"phase": _TOWARDS[target][phase]})
    raise AssertionError(f"the meeting did not reach {target}")


def push_first_question(staged: StagedMeeting, room_name: str) -> str:
    """Push the room's first question (as the organiser); returns its text."""
    room_id = staged.rooms[room_name]
    questions = organiser_call(staged, "GET", f"/api/rooms/{room_id}/questions")
    assert isinstance(questions, dict)
    first = min(questions["allocations"], key=lambda allocation: allocation["position"])
    question = next(q for q in questions["questions"] if q["id"] == first["question_id"])
    if first["state"] == "pending":
        organiser_call(staged, "POST", f"/api/rooms/{room_id}/questions/{question['id']}/push")
    return str(question["text"])


def answer_shared_question(staged: StagedMeeting, code: str, answers: dict[str, list[str]]) -> None:
    """Make the question `code` live in each room (closing the room's live one, as its moderator
    would) and answer it there, one roster participant per text, each from a device of their own
    (a session from their personal link)."""
    for room_name, texts in answers.items():
        room_id = staged.rooms[room_name]
        questions = organiser_call(staged, "GET", f"/api/rooms/{room_id}/questions")
        assert isinstance(questions, dict)
        shared = next(q for q in questions["questions"] if q["code"] == code)
        for allocation in questions["allocations"]:
            if allocation["state"] == "live" and allocation["question_id"] != shared["id"]:
                organiser_call(staged, "POST", f"/api/rooms/{room_id}/questions/{allocation['question_id']}/close")
        organiser_call(staged, "POST", f"/api/rooms/{room_id}/questions/{shared['id']}/push")
        # The room's last participants: the first ones may hold phones in a test.
        voices = staged.participants_of(room_name)[-len(texts) :]
        for index, (entry, text) in enumerate(zip(voices, texts, strict=True)):
            token = staged.personal_link(str(entry["id"])).rsplit("/", 1)[1]
            opened = httpx.post(
                f"{staged.base_url}/api/invites/{token}/open", json={"session_delivery": "token"}, timeout=10
            )
            opened.raise_for_status()
            answered = httpx.post(
                f"{staged.base_url}/api/rooms/{room_id}/questions/{shared['id']}/answers",
                json={"client_id": f"{code}-{room_id[:8]}-{index}", "text": text},
                headers={"authorization": f"Bearer {opened.json()['token']}"},
                timeout=10,
            )
            answered.raise_for_status()
