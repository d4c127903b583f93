"""What answer and vote batches decide from is kept between batches on SQLite's writer thread
(``app.answers.decisions``). It must never decide from a stale state: after a change made through
REST (another connection) or by another command through the pipeline, the next batch decides as
one by one would. On SQLite it is used: a batch after the first reads no room, meeting, roster
entry or allocation, and counts no answers. On PostgreSQL there is none: every batch reads.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.live.commands import CommandDispatcher
from app.realtime.protocol import Ack, AnswerModerate, AnswerVote, ClientCommand, ErrorFrame, QuestionClose
from tests.answers.test_batch import actor, outcome, submit, together
from tests.questions.staging import Person, Stage


def pipeline(stage: Stage) -> CommandDispatcher:
    commands: CommandDispatcher = stage.state.live.commands
    return commands


async def run(stage: Stage, person: Person, command: ClientCommand) -> Ack | ErrorFrame:
    return await pipeline(stage).run(actor(person), command)


def vote(command_id: str, answer_id: str, upvote: bool = True) -> AnswerVote:
    return AnswerVote(id=command_id, type="answer.vote", answer_id=uuid.UUID(answer_id), upvote=upvote)


def result_of(answer: Ack | ErrorFrame) -> dict[str, Any]:
    assert isinstance(answer, Ack) and isinstance(answer.result, dict), answer
    return answer.result


async def test_counts_and_rules_follow_changes_made_through_rest(stage: Stage) -> None:
    question = await stage.live_question()
    amina, rafiq = await stage.participant(0, name="Amina"), await stage.participant(0, name="Rafiq")
    url = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"

    assert [
        outcome(r) for r in await together(pipeline(stage), (amina, submit(stage, question, "a-1", text="One")))
    ] == [("ack", "One")]
    by_rest = await rafiq.http.post(url, json={"client_id": "rest-1", "text": "Through REST"})
    assert by_rest.status_code == 201, by_rest.text
    [second] = await together(pipeline(stage), (amina, submit(stage, question, "a-2", text="Two")))
    assert outcome(second) == ("ack", "Two")
    counts = [(e.payload["answer"]["text"], e.payload["count"]) for e in await stage.events("answer.submitted")]
    assert counts == [("One", 1), ("Through REST", 2), ("Two", 3)]
    progress = (await stage.events("room.progress"))[-1].payload["progress"]
    assert (progress["answered"], progress["assigned"]) == (2, 2)

    # Rafiq's upvote through the pipeline, withdrawn through REST: he may vote again.
    answer_id = result_of(second)["id"]
    assert result_of(await run(stage, rafiq, vote("v-1", answer_id)))["votes"] == 1
    withdrawn = await rafiq.http.post(f"/api/answers/{answer_id}/vote", json={"upvote": False})
    assert withdrawn.status_code == 200, withdrawn.text
    assert result_of(await run(stage, rafiq, vote("v-2", answer_id)))["votes"] == 1

    await stage.close(question["id"], 0)
    [late] = await together(pipeline(stage), (rafiq, submit(stage, question, "r-2", text="Late")))
    assert outcome(late) == ("error", "question_not_live")


async def test_rules_follow_changes_made_by_other_commands_of_the_pipeline(stage: Stage) -> None:
    question = await stage.live_question()
    amina, rafiq = await stage.participant(0, name="Amina"), await stage.participant(0, name="Rafiq")
    moderator = await stage.moderator(0, name="Mo")
    answer_id = result_of(await run(stage, amina, submit(stage, question, "a-1", text="One")))["id"]
    assert result_of(await run(stage, rafiq, vote("v-1", answer_id)))["votes"] == 1

    # Hidden by its moderator, then voted on in the same group commit and in the next one.
    hide = AnswerModerate(id="m-1", type="answer.moderate", answer_id=uuid.UUID(answer_id), hidden=True)
    hidden, withdrawal = await asyncio.gather(
        run(stage, moderator, hide), run(stage, rafiq, vote("v-2", answer_id, upvote=False))
    )
    assert result_of(hidden)["hidden"] is True
    assert isinstance(withdrawal, ErrorFrame)
    again = await run(stage, rafiq, vote("v-3", answer_id, upvote=False))
    assert isinstance(again, ErrorFrame) and again.code == withdrawal.code

    close = QuestionClose(
        id="c-1", type="question.close", room_id=uuid.UUID(stage.rooms[0]), question_id=uuid.UUID(question["id"])
    )
    closed, refused = await asyncio.gather(
        run(stage, moderator, close), run(stage, rafiq, submit(stage, question, "r-1", text="Too late"))
    )
    assert isinstance(closed, Ack)
    assert outcome(refused) == ("error", "question_not_live")


@contextmanager
def writer_statements() -> Iterator[list[str]]:
    """The statements the SQLite writer thread runs meanwhile."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread().name == "sqlite-writer":
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def test_a_later_batch_decides_from_memory_on_sqlite_only(stage: Stage) -> None:
    question = await stage.live_question()
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    first = result_of(await run(stage, amina, submit(stage, question, "a-1", text="One")))
    await run(stage, rafiq, vote("v-0", first["id"]))

    with writer_statements() as seen:
        answered = await run(stage, amina, submit(stage, question, "a-2", text="Two"))
        withdrawn = await run(stage, rafiq, vote("v-1", first["id"], upvote=False))
    assert outcome(answered) == ("ack", "Two") and result_of(withdrawn)["votes"] == 0

    rules = ("FROM rooms", "FROM meetings", "FROM participants", "FROM allocations", "FROM votes")
    read = [s for s in seen if s.startswith("SELECT") and any(table in s for table in rules)]
    if stage.state.live.writer is None:  # PostgreSQL: no writer thread, no memory
        assert seen == []
    else:
        assert len(seen) > 0 and read == []


async def test_a_meetings_roster_is_read_once_so_a_newcomers_first_answer_reads_no_access(stage: Stage) -> None:
    question = await stage.live_question()
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    moderator = await stage.moderator(0)
    assert outcome(await run(stage, amina, submit(stage, question, "a-1", text="One"))) == ("ack", "One")

    # Rafiq and his room's moderator act for the first time, after the roster was read.
    with writer_statements() as seen:
        first = await run(stage, rafiq, submit(stage, question, "r-1", text="Two"))
        steered = await run(stage, moderator, submit(stage, question, "m-1", text="Three"))
    assert outcome(first) == ("ack", "Two") and outcome(steered) == ("ack", "Three")
    access = ("FROM rooms", "FROM meetings", "FROM participants", "FROM room_moderators")
    read = [s for s in seen if s.startswith("SELECT") and any(table in s for table in access)]
    if stage.state.live.writer is None:  # PostgreSQL: no memory, every batch reads
        assert seen == []
    else:
        assert len(seen) > 0 and read == []

    # The roster's accesses decide as one by one would: another room is not Rafiq's.
    elsewhere = await run(stage, rafiq, submit(stage, question, "r-2", text="Four", room_index=1))
    assert outcome(elsewhere) == ("error", "forbidden")


async def test_receipts_and_stored_answers_are_read_only_for_ids_that_have_one(stage: Stage) -> None:
    question = await stage.live_question()
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    url = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"
    by_rest = await rafiq.http.post(url, json={"client_id": "r-1", "text": "Through REST"})
    assert by_rest.status_code == 201, by_rest.text
    first = result_of(await run(stage, amina, submit(stage, question, "a-1", text="One")))
    await run(stage, rafiq, submit(stage, question, "r-0", text="Zero"))

    with writer_statements() as seen:
        fresh = await run(stage, amina, submit(stage, question, "a-2", text="Two"))
    assert outcome(fresh) == ("ack", "Two")
    kept = ("FROM command_receipts", "FROM answers")
    if stage.state.live.writer is None:  # PostgreSQL: no memory, every batch reads
        assert seen == []
    else:
        assert len(seen) > 0 and [s for s in seen if s.startswith("SELECT") and any(t in s for t in kept)] == []

    # Sent again: the receipt's result, not a second answer; an id of an answer made through REST
    # gives that answer.
    again, rest_again = await asyncio.gather(
        run(stage, amina, submit(stage, question, "a-1", text="One, again")),
        run(stage, rafiq, submit(stage, question, "r-1", text="Through REST, again")),
    )
    assert result_of(again) == first
    assert result_of(rest_again)["id"] == by_rest.json()["id"]
    texts = sorted(e.payload["answer"]["text"] for e in await stage.events("answer.submitted"))
    assert texts == ["One", "Through REST", "Two", "Zero"]
