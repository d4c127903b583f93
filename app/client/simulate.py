"""``breakouts demo --simulate``: simulated people answer the live questions of the staged meeting.

Signed in with the organiser's link, the simulation brings the meeting to its breakouts, gives
every participant seated in a room a session of their own (a personal invite, opened), and
connects each to the socket like a phone would. Participants answer each question their room
pushes after about ``pace_s`` seconds (spread so that a room does not answer in one burst). For
each room a simulated moderator (the organiser's socket) pushes the first question, and once
every simulated member of the room has answered it (counted from ``answer.submitted``), waits
``pace_s``, closes it and pushes the next, until the room's questions are done.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console

from app.client.connection import CommandRefused, Event, LiveClient
from app.client.state import StreamState
from app.demo.schemas import DemoLinks
from app.realtime.eventlog import room_stream
from app.realtime.protocol import QuestionView, RoomStreamState, StreamSnapshot
from app.vocabulary import Phase, QuestionKind, QuestionState

OPEN_ANSWERS = (
    "Harmonise the offence definition with the protocol",
    "Joint investigation teams with the neighbouring countries",
    "Protect the migrants who testify",
    "Follow the money: financial investigations from day one",
    "Train first responders to screen for trafficking",
    "Regular legal pathways reduce the demand for smugglers",
    "A single contact point for cross-border requests",
    "Keep the digital evidence rules of the pandemic",
)
PATH_TO_BREAKOUTS = {
    Phase.DRAFT: [Phase.LOBBY, Phase.PLENARY, Phase.BREAKOUTS],
    Phase.LOBBY: [Phase.PLENARY, Phase.BREAKOUTS],
    Phase.PLENARY: [Phase.BREAKOUTS],
    Phase.REPORT_BACK: [Phase.BREAKOUTS],
}


@dataclass
class SimulationReport:
    answers: int = 0
    by_room: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: int = 0


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


async def _session(anonymous: httpx.AsyncClient, base_url: str, link: str) -> httpx.AsyncClient:
    opened = await anonymous.post(f"/api/invites/{_token(link)}/open", json={"session_delivery": "token"})
    opened.raise_for_status()
    headers = {"authorization": f"Bearer {opened.json()['token']}"}
    return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30)


async def snapshot(http: httpx.AsyncClient, meeting_id: str, stream: str) -> StreamSnapshot:
    response = await http.get("/api/live/snapshot", params={"meeting_id": meeting_id, "stream": stream})
    response.raise_for_status()
    return StreamSnapshot.model_validate(response.json())


def live_question(state: RoomStreamState) -> QuestionView | None:
    live = next((a for a in state.allocations if a.state == QuestionState.LIVE), None)
    return next((q for q in state.questions if live is not None and q.id == live.question_id), None)


def made_up_answer(question: QuestionView, rng: random.Random) -> dict[str, Any]:
    if question.kind == QuestionKind.OPEN:
        return {"text": rng.choice(OPEN_ANSWERS)}
    if question.kind == QuestionKind.SCALE:
        low = 1 if question.scale_min is None else question.scale_min
        high = 5 if question.scale_max is None else question.scale_max
        return {"scale_value": rng.randint(low, high)}
    options = [option.id for option in question.options]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return {"choice_ids": [rng.choice(options)]}
    return {"choice_ids": rng.sample(options, k=min(len(options), rng.randint(1, 2)))}


class Simulation:
    def __init__(self, links: DemoLinks, base_url: str, pace_s: float, console: Console | None) -> None:
        self.links = links
        self.meeting_id = str(links.meeting_id)
        self.base_url = base_url
        self.pace_s = pace_s
        self.console = console
        self.report = SimulationReport()
        self.rng = random.Random(str(links.meeting_id))  # the same meeting answers the same way
        self.done = asyncio.Event()
        self.room_names: dict[uuid.UUID, str] = {}

    def say(self, message: str) -> None:
        if self.console is not None:
            self.console.print(message)

    async def run(self, stack: contextlib.AsyncExitStack, questions_per_room: int | None) -> None:
        anonymous = await stack.enter_async_context(httpx.AsyncClient(base_url=self.base_url, timeout=30))
        organiser = await stack.enter_async_context(await _session(anonymous, self.base_url, self.links.organiser_link))
        await self._to_breakouts(organiser)
        rooms = (await organiser.get(f"/api/meetings/{self.meeting_id}/rooms")).json()
        self.room_names = {uuid.UUID(room["id"]): room["name"] for room in rooms}
        people = [
            person
            for person in (await organiser.get(f"/api/meetings/{self.meeting_id}/participants")).json()
            if person["role"] == "participant" and person["room_id"] and not person["erased_at"]
        ]
        self.say(f"Simulating {len(people)} participants in {len(rooms)} rooms, one answer every ~{self.pace_s:g} s")
        drivers = LiveClient(self.base_url, organiser, self.meeting_id, name="moderators")
        stack.push_async_callback(drivers.close)
        await drivers.connect()
        await drivers.until_resumed()
        tasks = [asyncio.create_task(self._participant(stack, anonymous, organiser, person)) for person in people]
        members: dict[uuid.UUID, int] = defaultdict(int)
        for person in people:
            members[uuid.UUID(person["room_id"])] += 1
        driving = asyncio.create_task(self._drive_rooms(organiser, drivers, members, questions_per_room))
        try:
            # A participant who stops (a refused sign-in, a socket that could not connect) would
            # leave its room waiting for an answer forever: its error ends the run instead.
            await asyncio.wait([driving, *tasks], return_when=asyncio.FIRST_COMPLETED)
            if not driving.done():
                stopped = next(task for task in tasks if task.done())
                stopped.result()
                raise RuntimeError("a simulated participant stopped before its room was done")
            driving.result()
        finally:
            self.done.set()
            for task in (driving, *tasks):
                task.cancel()
            await asyncio.gather(driving, *tasks, return_exceptions=True)

    async def _to_breakouts(self, organiser: httpx.AsyncClient) -> None:
        phase = Phase((await organiser.get(f"/api/meetings/{self.meeting_id}")).json()["phase"])
        for step in PATH_TO_BREAKOUTS.get(phase, []):
            response = await organiser.post(f"/api/meetings/{self.meeting_id}/phase", json={"phase": step})
            response.raise_for_status()
        if phase == Phase.CLOSED:
            raise RuntimeError("the meeting is closed: stage a new one to simulate")

    # --- the rooms' moderators --------------------------------------------------------------

    async def _drive_rooms(
        self, organiser: httpx.AsyncClient, drivers: LiveClient, members: dict[uuid.UUID, int], per_room: int | None
    ) -> None:
        answers: dict[str, asyncio.Queue[Event]] = {
            room_stream(room_id): asyncio.Queue() for room_id in self.room_names
        }

        async def route() -> None:
            while True:
                event = await drivers.events.get()
                if event.type == "answer.submitted" and event.stream in answers:
                    answers[event.stream].put_nowait(event)

        router = asyncio.create_task(route())
        try:
            await asyncio.gather(
                *(
                    self._drive_room(
                        organiser, drivers, room_id, answers[room_stream(room_id)], members[room_id], per_room
                    )
                    for room_id in self.room_names
                    if members.get(room_id)
                )
            )
        finally:
            router.cancel()

    async def _drive_room(
        self,
        organiser: httpx.AsyncClient,
        drivers: LiveClient,
        room_id: uuid.UUID,
        answers: asyncio.Queue[Event],
        members: int,
        per_room: int | None,
    ) -> None:
        state = (await snapshot(organiser, self.meeting_id, room_stream(room_id))).state
        assert isinstance(state, RoomStreamState)
        waiting = [a.question_id for a in sorted(state.allocations, key=lambda a: a.position) if a.state != "closed"]
        for question_id in waiting[:per_room]:
            with contextlib.suppress(CommandRefused):  # live already
                await drivers.command("question.push", room_id=room_id, question_id=question_id)
            answered = 0
            while answered < members:  # each simulated member answers each question once
                event = await answers.get()
                answered += event.data["question_id"] == str(question_id)
            self.say(f"{self.room_names[room_id]}: everyone answered; moving on")
            await asyncio.sleep(self.pace_s)
            await drivers.command("question.close", room_id=room_id, question_id=question_id)

    # --- the participants -------------------------------------------------------------------

    async def _participant(
        self,
        stack: contextlib.AsyncExitStack,
        anonymous: httpx.AsyncClient,
        organiser: httpx.AsyncClient,
        person: dict[str, Any],
    ) -> None:
        invite = await organiser.post(
            f"/api/meetings/{self.meeting_id}/invites",
            json={
                "role": "participant",
                "room_id": person["room_id"],
                "participant_id": person["id"],
                "label": "simulated",
            },
        )
        invite.raise_for_status()
        http = await stack.enter_async_context(await _session(anonymous, self.base_url, invite.json()["url"]))
        client = LiveClient(self.base_url, http, self.meeting_id, name=f"sim-{person['id'][:8]}")
        stack.push_async_callback(client.close)
        await client.connect()
        # The snapshot is loaded after ``resumed``: it then reflects at least the head the socket
        # continues from, so no event falls between the two.
        await client.until_resumed()
        room_id = uuid.UUID(person["room_id"])
        room = StreamState(await snapshot(http, self.meeting_id, room_stream(room_id)), staff=False)
        answered: set[uuid.UUID] = set()
        rng = random.Random(person["id"])
        while not self.done.is_set():
            assert isinstance(room.state, RoomStreamState)
            question = live_question(room.state)
            if question is not None and question.id not in answered:
                await asyncio.sleep(self.pace_s * rng.uniform(0.5, 1.5))
                answered.add(question.id)
                try:
                    await client.command(
                        "answer.submit", room_id=room_id, question_id=question.id, **made_up_answer(question, rng)
                    )
                    self.report.answers += 1
                    self.report.by_room[self.room_names.get(room_id, str(room_id))] += 1
                except CommandRefused:
                    self.report.refused += 1  # closed meanwhile: nothing to do
            room.apply(await client.events.get())


async def run_simulation(
    links: DemoLinks,
    *,
    base_url: str,
    pace_s: float = 5.0,
    console: Console | None = None,
    questions_per_room: int | None = None,
) -> SimulationReport:
    """Run until every room went through its questions (or ``questions_per_room`` of them)."""
    simulation = Simulation(links, base_url.rstrip("/"), pace_s, console)
    async with contextlib.AsyncExitStack() as stack:
        await simulation.run(stack, questions_per_room)
    report = simulation.report
    simulation.say(
        f"{report.answers} answers: " + ", ".join(f"{room} {n}" for room, n in sorted(report.by_room.items()))
    )
    return report
