"""Answers submitted over the socket in one group commit run as one batch: every command gets what
the one-by-one path would give it, and the batch writes nothing of a refused command."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app.answers.models import Answer
from app.answers.socket import handle_answer_submits
from app.auth.access import Actor
from app.live.commands import BatchHandler, CommandDispatcher
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import Ack, AnswerSubmit, ErrorFrame
from app.realtime.receipts import CommandReceipt
from tests.questions.staging import Person, Stage, staff_payload

ONE_BY_ONE: dict[str, BatchHandler] = {}


def actor(person: Person) -> Actor:
    return Actor(participant_id=uuid.UUID(person.id))


def submit(stage: Stage, question: dict[str, Any], command_id: str, room_index: int = 0, **value: Any) -> AnswerSubmit:
    return AnswerSubmit(
        id=command_id,
        type="answer.submit",
        room_id=uuid.UUID(stage.rooms[room_index]),
        question_id=uuid.UUID(question["id"]),
        **value,
    )


async def together(dispatcher: CommandDispatcher, *commands: tuple[Person, AnswerSubmit]) -> list[Ack | ErrorFrame]:
    """Commands sent in one loop tick: they join one group commit."""
    return list(await asyncio.gather(*(dispatcher.run(actor(person), command) for person, command in commands)))


def outcome(answer: Ack | ErrorFrame) -> tuple[str, ...]:
    if isinstance(answer, ErrorFrame):
        return ("error", answer.code)
    assert isinstance(answer.result, dict)
    return ("ack", answer.result["text"])


@dataclass
class Scene:
    stage: Stage
    question: dict[str, Any]
    pending: dict[str, Any]
    amina: Person
    rafiq: Person
    bilal: Person
    moderator: Person


async def scene(stage: Stage) -> Scene:
    question = await stage.live_question(anonymity="anonymous_to_peers")
    pending = await stage.question()
    await stage.allocate(pending["id"], 0)
    return Scene(
        stage=stage,
        question=question,
        pending=pending,
        amina=await stage.participant(0, name="Amina"),
        rafiq=await stage.participant(0, name="Rafiq"),
        bilal=await stage.participant(1, name="Bilal"),
        moderator=await stage.moderator(0, name="Moderator Mo"),
    )


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "one-by-one"])
async def test_a_mixed_batch_gives_what_one_by_one_gives(stage: Stage, batched: bool) -> None:
    s = await scene(stage)
    dispatcher = CommandDispatcher(
        stage.state.database,
        stage.state.bus,
        batch_handlers=None if batched else ONE_BY_ONE,
        writer=stage.state.live.writer,
    )
    q, url = s.question, f"/api/rooms/{stage.rooms[0]}/questions/{s.question['id']}/answers"
    [earlier] = await together(dispatcher, (s.amina, submit(stage, q, "old", text="Before")))
    by_rest = await s.rafiq.http.post(url, json={"client_id": "rest-1", "text": "Via REST"})
    original = await s.amina.http.post(url, json={"client_id": "rest-2", "text": "Via REST too"})
    progress_before = len(await stage.events("room.progress"))

    results = await together(
        dispatcher,
        (s.amina, submit(stage, q, "a-1", text="One")),
        (s.rafiq, submit(stage, q, "r-1", text="Two")),
        (s.amina, submit(stage, q, "a-1", text="One, resent with other words")),
        (s.amina, submit(stage, s.pending, "p-1", text="Not live")),
        (s.bilal, submit(stage, q, "b-1", text="Not my room")),
        (s.amina, submit(stage, q, "blank", text="   ")),
        (s.amina, submit(stage, q, "old", text="Replayed")),
        (s.rafiq, submit(stage, s.pending, "rest-1", text="Reused id")),
        (s.moderator, submit(stage, q, "m-1", text="Staff words")),
        (s.amina, submit(stage, q, "rest-2", text="Retry of the REST answer")),
        (s.bilal, submit(stage, q, "x-1", room_index=1, text="Not allocated in my room")),
        (s.amina, submit(stage, q, "blank", text="Now with words")),
        (s.amina, submit(stage, q, "scale", scale_value=3)),
    )

    assert by_rest.status_code == 201 and original.status_code == 201
    assert [outcome(result) for result in results] == [
        ("ack", "One"),
        ("ack", "Two"),
        ("ack", "One"),
        ("error", "question_not_live"),
        ("error", "forbidden"),
        ("error", "invalid"),
        ("ack", "Before"),
        ("error", "client_id_reused"),
        ("ack", "Staff words"),
        ("ack", "Via REST too"),
        ("error", "not_found"),
        ("ack", "Now with words"),
        ("error", "invalid"),
    ]
    assert [result.ref for result in results] == [
        "a-1", "r-1", "a-1", "p-1", "b-1", "blank", "old", "rest-1", "m-1", "rest-2", "x-1", "blank", "scale"
    ]  # fmt: skip
    assert results[2] == results[0]  # the repeat inside the batch gets the first one's answer
    assert results[6] == earlier  # a replay gets the stored receipt
    assert isinstance(results[9], Ack) and isinstance(results[9].result, dict)
    assert results[9].result["id"] == original.json()["id"]
    assert isinstance(results[0], Ack) and isinstance(results[0].result, dict)
    assert results[0].result["mine"] is True
    errors = [result for result in results if isinstance(result, ErrorFrame)]
    assert errors[0].message.startswith("question ") and "is not live in this room (it is pending)" in errors[0].message
    assert errors[2].message == "text: write an answer; it must not be blank"

    async with stage.state.database.reading() as session:
        stored = {(answer.client_id, answer.text) for answer in await session.scalars(select(Answer))}
    assert stored == {
        ("old", "Before"),
        ("rest-1", "Via REST"),
        ("rest-2", "Via REST too"),
        ("a-1", "One"),
        ("r-1", "Two"),
        ("m-1", "Staff words"),
        ("blank", "Now with words"),
    }
    for refused in ("p-1", "b-1", "x-1", "scale"):
        assert await stage.count(CommandReceipt, command_id=refused) == 0
    assert await stage.count(CommandReceipt, command_id="rest-1") == 0  # made through REST: no receipt

    submitted = await stage.events("answer.submitted")
    assert [(event.payload["answer"]["text"], event.payload["count"]) for event in submitted] == [
        ("Before", 1),
        ("Via REST", 2),
        ("Via REST too", 3),
        ("One", 4),
        ("Two", 5),
        ("Staff words", 6),
        ("Now with words", 7),
    ]
    staff_words = submitted[5]
    assert staff_words.payload["answer"]["author"] is None  # anonymous to peers
    assert staff_payload(staff_words)["answer"]["author"] == "Moderator Mo"
    assert staff_payload(staff_words)["answer"]["mine"] is False
    assert staff_words.payload["answer_id"] == staff_words.payload["answer"]["id"]

    progress = [event.payload["progress"] for event in await stage.events("room.progress")][progress_before:]
    # Progress is a level: the batch reports it once per room, with the counts after it.
    assert len(progress) == (1 if batched else 4)
    assert (progress[-1]["answered"], progress[-1]["assigned"], progress[-1]["question_id"]) == (2, 2, q["id"])


async def test_answers_for_several_rooms_in_one_batch_count_per_room(stage: Stage) -> None:
    first = await stage.live_question(0)
    second = await stage.live_question(1)
    people = [await stage.participant(0), await stage.participant(1), await stage.participant(0)]
    dispatcher = CommandDispatcher(stage.state.database, stage.state.bus, writer=stage.state.live.writer)

    results = await together(
        dispatcher,
        (people[0], submit(stage, first, "1", text="A1")),
        (people[1], submit(stage, second, "1", room_index=1, text="B1")),
        (people[2], submit(stage, first, "1", text="A2")),
    )

    assert [outcome(result) for result in results] == [("ack", "A1"), ("ack", "B1"), ("ack", "A2")]
    submitted = await stage.events("answer.submitted")
    counts = {(event.stream, event.payload["answer"]["text"]): event.payload["count"] for event in submitted}
    room_a, room_b = (f"room:{room_id}" for room_id in stage.rooms[:2])
    assert counts == {(room_a, "A1"): 1, (room_b, "B1"): 1, (room_a, "A2"): 2}
    progress = {
        event.payload["progress"]["room_id"]: event.payload["progress"] for event in await stage.events("room.progress")
    }
    assert (progress[stage.rooms[0]]["answered"], progress[stage.rooms[0]]["assigned"]) == (2, 2)
    assert (progress[stage.rooms[1]]["answered"], progress[stage.rooms[1]]["assigned"]) == (1, 1)


async def _collide(uow: UnitOfWork, results: list[Ack | ErrorFrame]) -> None:
    """Stands for a writer elsewhere that took one of the batch's keys after the batch looked."""
    assert isinstance(results[0], Ack) and isinstance(results[0].result, dict)
    taken = await uow.session.get(Answer, uuid.UUID(results[0].result["id"]))
    assert taken is not None
    uow.session.add(
        Answer(
            meeting_id=taken.meeting_id,
            room_id=taken.room_id,
            question_id=taken.question_id,
            author_id=taken.author_id,
            client_id=taken.client_id,
            text="taken meanwhile",
        )
    )


async def _fail(uow: UnitOfWork, results: list[Ack | ErrorFrame]) -> None:
    raise RuntimeError("something the batch did not foresee")


@pytest.mark.parametrize("failure", [_collide, _fail], ids=["integrity-error", "unexpected-error"])
async def test_a_failed_batch_is_rolled_back_and_run_one_by_one(stage: Stage, failure: Any) -> None:
    question = await stage.live_question()
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    seen: list[int] = []

    async def failing(uow: UnitOfWork, commands: Any) -> list[Ack | ErrorFrame]:
        seen.append(len(commands))
        results = await handle_answer_submits(uow, commands)
        await uow.session.flush()  # the batch's rows are written: the rollback must take them back
        await failure(uow, results)
        return results

    dispatcher = CommandDispatcher(
        stage.state.database, stage.state.bus, writer=stage.state.live.writer, batch_handlers={"answer.submit": failing}
    )
    results = await together(
        dispatcher,
        (amina, submit(stage, question, "a-1", text="One")),
        (rafiq, submit(stage, question, "r-1", text="   ")),
        (rafiq, submit(stage, question, "r-2", text="Two")),
        (amina, submit(stage, question, "a-1", text="One again")),
    )

    assert seen == [4]
    assert [outcome(result) for result in results] == [
        ("ack", "One"),
        ("error", "invalid"),
        ("ack", "Two"),
        ("ack", "One"),
    ]
    assert results[3] == results[0]
    assert await stage.count(Answer) == 2
    assert await stage.count(CommandReceipt) == 2
    submitted = await stage.events("answer.submitted")
    assert [(event.payload["answer"]["text"], event.payload["count"]) for event in submitted] == [
        ("One", 1),
        ("Two", 2),
    ]
    progress = [event.payload["progress"]["answered"] for event in await stage.events("room.progress")]
    assert progress[-2:] == [1, 2]  # the one-by-one path: one per answer


def chosen(answer: Ack | ErrorFrame) -> tuple[Any, ...]:
    if isinstance(answer, ErrorFrame):
        return ("error", answer.code)
    assert isinstance(answer.result, dict)
    return ("ack", answer.result["choice_ids"] or answer.result["scale_value"])


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "one-by-one"])
async def test_answering_a_choice_again_in_a_batch_replaces_it_as_one_by_one_does(stage: Stage, batched: bool) -> None:
    options = [{"id": "a", "label": "Yes"}, {"id": "b", "label": "No"}, {"id": "c", "label": "Unsure"}]
    choice = await stage.live_question(kind="single_choice", options=options)
    scale = await stage.live_question(1, kind="scale", scale_min=1, scale_max=5)
    amina, rafiq, bilal = await stage.participant(0), await stage.participant(0), await stage.participant(1)
    dispatcher = CommandDispatcher(
        stage.state.database,
        stage.state.bus,
        batch_handlers=None if batched else ONE_BY_ONE,
        writer=stage.state.live.writer,
    )
    url = f"/api/rooms/{stage.rooms[0]}/questions/{choice['id']}/answers"
    before = await amina.http.post(url, json={"client_id": "rest", "choice_ids": ["c"]})

    results = await together(
        dispatcher,
        (amina, submit(stage, choice, "a-1", choice_ids=["a"])),  # replaces the REST answer
        (rafiq, submit(stage, choice, "r-1", choice_ids=["a"])),
        (rafiq, submit(stage, choice, "r-2", choice_ids=["b"])),  # replaces the one just made
        (bilal, submit(stage, scale, "b-1", room_index=1, scale_value=2)),
        (bilal, submit(stage, scale, "b-2", room_index=1, scale_value=9)),  # refused: nothing changes
        (bilal, submit(stage, scale, "b-3", room_index=1, scale_value=4)),
        (rafiq, submit(stage, choice, "r-1", choice_ids=["c"])),  # a replay of r-1 gets r-1's receipt
    )

    assert before.status_code == 201
    assert [chosen(result) for result in results] == [
        ("ack", ["a"]),
        ("ack", ["a"]),
        ("ack", ["b"]),
        ("ack", 2),
        ("error", "invalid"),
        ("ack", 4),
        ("ack", ["a"]),
    ]
    assert isinstance(results[0], Ack) and isinstance(results[0].result, dict)
    assert results[0].result["id"] == before.json()["id"]
    assert results[6] == results[1]
    ids = [result.result["id"] for result in results if isinstance(result, Ack) and isinstance(result.result, dict)]
    assert ids[1] == ids[2] and ids[3] == ids[4]
    async with stage.state.database.reading() as session:
        values = sorted(
            (str(answer.author_id), str(answer.choice_ids or answer.scale_value))
            for answer in await session.scalars(select(Answer))
        )
    assert values == sorted([(amina.id, "['a']"), (rafiq.id, "['b']"), (bilal.id, "4")])
    # Each new answer is told once, with the value it was made with; each change once more.
    submitted = [(value_of(event.payload), event.payload["count"]) for event in await stage.events("answer.submitted")]
    assert sorted(submitted) == sorted([("['c']", 1), ("['a']", 2), ("2", 1)])  # two rooms: no order between them
    edited = sorted(value_of(event.payload) for event in await stage.events("answer.edited"))
    assert edited == sorted(["['a']", "['b']", "4"])


def value_of(payload: dict[str, Any]) -> str:
    answer = payload["answer"]
    return str(answer["choice_ids"] or answer["scale_value"])
