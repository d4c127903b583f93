"""A batch gives what one by one gives: random sequences of answer, vote and edit commands (repeats,
refusals, ids reused, choices answered again) run in one group commit in one meeting, and one at
a time, each in its own transaction, in an identical second meeting. Both must end with the same
stored rows, the same results and the same events, on SQLite (through the writer thread) and on
PostgreSQL.

Events compare per stream and type in order; level events (counts and tallies, which a batch
tells once with the value after it) compare by their last value per subject. The sequences are
drawn from fixed seeds, so a failure replays.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.answers.models import Answer, Vote
from app.auth.access import Actor
from app.live.commands import CommandDispatcher
from app.realtime.eventlog import EventRecord
from app.realtime.protocol import Ack, AnswerEdit, AnswerSubmit, AnswerVote, ClientCommand, ErrorFrame
from app.realtime.receipts import CommandReceipt
from app.rooms.models import Room
from tests.conftest import ClientFactory
from tests.questions.staging import Person, Stage
from tests.world import new_meeting, signed_in_organiser

SEEDS = range(6)
COMMANDS_PER_SEQUENCE = 48  # under GROUP_COMMIT_MAX: the batched run is one group commit
# Level events: each carries the whole value of its subject, so only the last one per subject counts.
LEVELS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "room.progress": lambda data: data["progress"]["room_id"],
    "question.tally": lambda data: (data["room_id"], data["question_id"]),
    "question.groups": lambda data: (data["room_id"], data["question_id"]),
    "answer.voted": lambda data: data["answer_id"],
}
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
PEOPLE = ("p0", "p1", "p2", "p3", "p4", "p5", "mod0")


@dataclass
class World:
    stage: Stage
    people: dict[str, Person]
    questions: dict[str, str]  # label -> id
    seeds: dict[str, str]  # staged answers: label -> id
    staged_events: int = 0  # the last event id of the staging: the commands' events come after

    def labels(self) -> dict[str, str]:
        known = {room: f"room{index}" for index, room in enumerate(self.stage.rooms)}
        known.update({person.id: label for label, person in self.people.items()})
        known.update({question: label for label, question in self.questions.items()})
        known[self.stage.meeting_id] = "meeting"
        return known


async def build_world(app: FastAPI, clients: ClientFactory, stack: AsyncExitStack) -> World:
    organiser = await stack.enter_async_context(clients())
    await signed_in_organiser(app, organiser, email=f"organiser-{secrets.token_hex(4)}@example.org")
    stage = Stage(app=app, clients=clients, stack=stack, organiser=organiser, meeting=await new_meeting(organiser))
    async with stage.state.database.write_sessions() as session:
        rooms = [Room(meeting_id=uuid.UUID(stage.meeting_id), name=name, theme=name, position=n) for n, name in
                 enumerate(("Room 0", "Room 1", "Room 2"))]  # fmt: skip
        session.add_all(rooms)
        await session.commit()
        stage.rooms = [str(room.id) for room in rooms]
    await stage.to_phase("lobby", "plenary", "breakouts")
    options = [{"id": "a", "label": "Yes"}, {"id": "b", "label": "No"}, {"id": "c", "label": "Unsure"}]
    questions = {
        "open": (await stage.live_question(0, anonymity="named"))["id"],
        "choice": (await stage.live_question(1, kind="single_choice", options=options))["id"],
        "scale": (await stage.live_question(2, kind="scale", scale_min=1, scale_max=5))["id"],
    }
    pending = await stage.question()
    await stage.allocate(pending["id"], 0)
    questions["pending"] = pending["id"]
    people = {
        "p0": await stage.participant(0, name="p0"),
        "p1": await stage.participant(0, name="p1"),
        "p2": await stage.participant(0, name="p2"),
        "p3": await stage.participant(1, name="p3"),
        "p4": await stage.participant(1, name="p4"),
        "p5": await stage.participant(2, name="p5"),
        "mod0": await stage.moderator(0, name="mod0"),
    }
    seeds = {}
    for label, person, room, question, body in (
        ("seed-a", "p0", 0, "open", {"text": "Seed A"}),
        ("seed-b", "p1", 0, "open", {"text": "Seed B"}),
        ("seed-c", "p3", 1, "choice", {"choice_ids": ["a"]}),
    ):
        url = f"/api/rooms/{stage.rooms[room]}/questions/{questions[question]}/answers"
        response = await people[person].http.post(url, json={"client_id": label, **body})
        assert response.status_code == 201, response.text
        seeds[label] = response.json()["id"]
    hidden = await people["mod0"].http.post(f"/api/answers/{seeds['seed-b']}/moderation", json={"hidden": True})
    assert hidden.status_code == 200, hidden.text
    async with stage.state.database.reading() as session:
        last = await session.scalar(select(func.max(EventRecord.id)))
    return World(stage, people, questions, seeds, staged_events=last or 0)


# A command as drawn: who sends it, and its fields with labels where the worlds' ids differ.
Drawn = tuple[str, dict[str, Any]]


def draw(rng: random.Random) -> list[Drawn]:
    ids = [f"c{n}" for n in range(14)]  # few ids: repeats and ids reused for other commands
    drawn: list[Drawn] = []
    for _ in range(COMMANDS_PER_SEQUENCE):
        kind = rng.choices(["open", "choice", "scale", "vote", "edit"], weights=[5, 3, 2, 6, 1])[0]
        command_id = rng.choice(ids)
        if kind == "open":
            sender = rng.choice(["p0", "p1", "p2", "mod0", "p3"])
            question = rng.choice(["open", "open", "open", "pending"])
            text = rng.choice(["Fund the shelters", "Train the police", "   ", f"Idea {rng.randint(1, 5)}"])
            drawn.append((sender, {"type": "answer.submit", "id": command_id, "room": 0, "question": question,
                                   "text": text}))  # fmt: skip
        elif kind == "choice":
            sender = rng.choice(["p3", "p4", "p4", "p0"])
            choice = rng.choice([["a"], ["b"], ["c"], ["z"]])
            drawn.append((sender, {"type": "answer.submit", "id": command_id, "room": 1, "question": "choice",
                                   "choice_ids": choice}))  # fmt: skip
        elif kind == "scale":
            value = rng.choice([1, 2, 3, 4, 5, 9])
            drawn.append(("p5", {"type": "answer.submit", "id": command_id, "room": 2, "question": "scale",
                                 "scale_value": value}))  # fmt: skip
        elif kind == "vote":
            sender = rng.choice(["p0", "p1", "p2", "mod0", "p3", "p4"])
            target = rng.choice(["seed-a", "seed-a", "seed-b", "seed-c", "nowhere"])
            drawn.append((sender, {"type": "answer.vote", "id": command_id, "answer": target,
                                   "upvote": rng.random() < 0.7}))  # fmt: skip
        else:
            drawn.append(("p0", {"type": "answer.edit", "id": command_id, "answer": "seed-a",
                                 "text": f"Seed A, edited {rng.randint(1, 3)}"}))  # fmt: skip
    return drawn


def command_in(world: World, fields: dict[str, Any]) -> ClientCommand:
    stage, values = world.stage, dict(fields)
    answer = values.pop("answer", None)
    answer_id = uuid.UUID(world.seeds[answer]) if answer in world.seeds else uuid.UUID(int=7)
    if values["type"] == "answer.submit":
        room, question = values.pop("room"), values.pop("question")
        return AnswerSubmit(
            room_id=uuid.UUID(stage.rooms[room]), question_id=uuid.UUID(world.questions[question]), **values
        )
    if values["type"] == "answer.vote":
        return AnswerVote(answer_id=answer_id, **values)
    return AnswerEdit(answer_id=answer_id, **values)


def actor(world: World, sender: str) -> Actor:
    return Actor(participant_id=uuid.UUID(world.people[sender].id))


async def run_batched(world: World, drawn: list[Drawn]) -> list[Ack | ErrorFrame]:
    state = world.stage.state
    dispatcher = CommandDispatcher(state.database, state.bus, writer=state.live.writer)
    runs = [dispatcher.run(actor(world, sender), command_in(world, fields)) for sender, fields in drawn]
    return list(await asyncio.gather(*runs))  # one loop tick: one group commit


async def run_one_by_one(world: World, drawn: list[Drawn]) -> list[Ack | ErrorFrame]:
    state = world.stage.state
    dispatcher = CommandDispatcher(state.database, state.bus, batch_handlers={}, writer=state.live.writer)
    return [await dispatcher.run(actor(world, sender), command_in(world, fields)) for sender, fields in drawn]


async def answer_labels(world: World) -> dict[str, str]:
    labels = world.labels()
    async with world.stage.state.database.reading() as session:
        for answer in await session.scalars(
            select(Answer).where(Answer.meeting_id == uuid.UUID(world.stage.meeting_id))
        ):
            labels[str(answer.id)] = f"answer:{labels.get(str(answer.author_id))}:{answer.client_id}"
    return labels


def normalised(value: Any, labels: dict[str, str]) -> Any:
    """``value`` with every id named by its label and every timestamp left out."""
    if isinstance(value, dict):
        return {key: normalised(item, labels) for key, item in value.items() if not key.endswith("_at")}
    if isinstance(value, list):
        return [normalised(item, labels) for item in value]
    if isinstance(value, uuid.UUID):
        value = str(value)
    if isinstance(value, str):
        return UUID_PATTERN.sub(lambda found: labels.get(str(uuid.UUID(found.group())), "unknown-id"), value)
    return value


def row_of(answer: Answer) -> dict[str, Any]:
    return {column.key: getattr(answer, column.key) for column in Answer.__table__.columns}


async def outcome(world: World, results: list[Ack | ErrorFrame]) -> dict[str, Any]:
    labels = await answer_labels(world)
    meeting_id = uuid.UUID(world.stage.meeting_id)
    people = {f"participant:{person.id}" for person in world.people.values()}
    async with world.stage.state.database.reading() as session:
        answers = await session.scalars(select(Answer).where(Answer.meeting_id == meeting_id))
        votes = await session.scalars(select(Vote).join(Answer).where(Answer.meeting_id == meeting_id))
        receipts = await session.scalars(select(CommandReceipt).where(CommandReceipt.actor_key.in_(people)))
        events = await session.scalars(
            select(EventRecord)
            .where(EventRecord.meeting_id == meeting_id, EventRecord.id > world.staged_events)
            .order_by(EventRecord.id)
        )
        told: dict[tuple[str, str], list[Any]] = defaultdict(list)
        levels: dict[tuple[str, str, str], Any] = {}
        for event in events:
            told_event = normalised({"data": event.payload, "staff": event.staff_payload}, labels)
            key = (normalised(event.stream, labels), event.type)
            if event.type in LEVELS:
                levels[(*key, json.dumps(LEVELS[event.type](told_event["data"])))] = told_event
            else:
                told[key].append(told_event)
        return {
            "results": [normalised(result.model_dump(mode="json"), labels) for result in results],
            "answers": sorted(json.dumps(normalised(row_of(answer), labels), sort_keys=True) for answer in answers),
            "votes": sorted(normalised(f"{vote.answer_id} {vote.participant_id}", labels) for vote in votes),
            "receipts": sorted(
                json.dumps(normalised([r.actor_key, r.command_id, r.command_type, r.result], labels)) for r in receipts
            ),
            "events": dict(told),
            "levels": levels,
        }


async def test_a_batch_gives_what_one_by_one_gives(
    app: FastAPI, client_factory: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="breakouts.commands")
    for seed in SEEDS:
        drawn = draw(random.Random(seed))
        async with AsyncExitStack() as stack:
            batched, alone = (
                await build_world(app, client_factory, stack),
                await build_world(app, client_factory, stack),
            )
            batched_outcome = await outcome(batched, await run_batched(batched, drawn))
            alone_outcome = await outcome(alone, await run_one_by_one(alone, drawn))
        for part in batched_outcome:
            assert batched_outcome[part] == alone_outcome[part], f"seed {seed}: {part} differ"
        # The batches ran as batches (none fell back to one by one).
        assert not [record.message for record in caplog.records if "one by one" in record.message]
        refused = sum(1 for result in batched_outcome["results"] if result.get("code"))
        assert 0 < refused < len(drawn), f"seed {seed}: the sequence should mix acks and refusals"
