from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from app.answers.models import Answer
from app.answers.socket import SOCKET_COMMANDS
from app.auth.access import Actor
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import AnswerSubmit
from tests.questions.staging import Stage

CHOICES = [{"id": "a", "label": "Yes"}, {"id": "b", "label": "No"}, {"id": "c", "label": "Unsure"}]
KINDS: dict[str, dict[str, Any]] = {
    "open": {"kind": "open"},
    "single": {"kind": "single_choice", "options": CHOICES},
    "multiple": {"kind": "multiple_choice", "options": CHOICES},
    "scale": {"kind": "scale", "scale_min": 1, "scale_max": 5},
}
# (question kind, bad body, the field the message names)
BAD_ANSWERS: list[tuple[str, dict[str, Any], str]] = [
    ("open", {}, "text"),
    ("open", {"text": "   "}, "text"),
    ("open", {"text": "x" * 2001}, "text"),
    ("open", {"choice_ids": ["a"]}, "choice_ids"),
    ("open", {"text": "fine", "scale_value": 3}, "scale_value"),
    ("single", {"choice_ids": []}, "choice_ids"),
    ("single", {"choice_ids": ["a", "b"]}, "choice_ids"),
    ("single", {"choice_ids": ["z"]}, "choice_ids"),
    ("single", {"text": "yes"}, "text"),
    ("multiple", {"choice_ids": ["a", "a"]}, "choice_ids"),
    ("multiple", {"choice_ids": ["a", "nope"]}, "choice_ids"),
    ("multiple", {"scale_value": 2}, "scale_value"),
    ("scale", {}, "scale_value"),
    ("scale", {"scale_value": 0}, "scale_value"),
    ("scale", {"scale_value": 6}, "scale_value"),
    ("scale", {"scale_value": 2.5}, "scale_value"),
    ("scale", {"scale_value": "high"}, "scale_value"),
    ("scale", {"text": "4"}, "text"),
    ("open", {"client_id": "", "text": "x"}, "client_id"),
    ("open", {"client_id": "has space", "text": "x"}, "client_id"),
    ("open", {"client_id": "x" * 65, "text": "x"}, "client_id"),
]


def answers_url(stage: Stage, question: dict[str, Any], room_index: int = 0) -> str:
    return f"/api/rooms/{stage.rooms[room_index]}/questions/{question['id']}/answers"


@pytest.mark.parametrize(("kind", "body", "field_named"), BAD_ANSWERS)
async def test_an_answer_that_does_not_fit_the_question_is_refused(
    stage: Stage, kind: str, body: dict[str, Any], field_named: str
) -> None:
    question = await stage.live_question(**KINDS[kind])
    participant = await stage.participant(0)

    response = await participant.http.post(answers_url(stage, question), json={"client_id": "c-1", **body})

    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith(field_named), response.json()["message"]
    assert await stage.count(Answer) == 0


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("open", {"text": "সহযোগিতা বাড়ানো দরকার"}),
        ("single", {"choice_ids": ["b"]}),
        ("multiple", {"choice_ids": ["c", "a"]}),
        ("scale", {"scale_value": 5}),
    ],
)
async def test_a_fitting_answer_of_each_kind_is_stored_verbatim(stage: Stage, kind: str, body: dict[str, Any]) -> None:
    question = await stage.live_question(**KINDS[kind])
    participant = await stage.participant(0)

    response = await participant.http.post(answers_url(stage, question), json={"client_id": "c-1", **body})

    assert response.status_code == 201, response.text
    for name, value in body.items():
        assert response.json()[name] == value
    assert response.json()["mine"] is True


async def test_a_retried_submit_returns_the_original_answer_and_creates_nothing(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant(0)
    url = answers_url(stage, question)

    first = await participant.http.post(url, json={"client_id": "retry-1", "text": "First words"})
    retry = await participant.http.post(url, json={"client_id": "retry-1", "text": "First words"})
    different = await participant.http.post(url, json={"client_id": "retry-1", "text": "Other words"})

    assert first.status_code == 201
    assert retry.status_code == 200
    assert different.status_code == 200
    assert retry.json() == first.json()
    assert different.json()["text"] == "First words"  # the first acknowledged value is the answer
    assert await stage.count(Answer) == 1
    assert len(await stage.events("answer.submitted")) == 1


async def test_a_retry_after_the_question_closed_still_finds_the_original(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant(0)
    first = await participant.http.post(answers_url(stage, question), json={"client_id": "late", "text": "Hi"})
    await stage.close(question["id"])

    retry = await participant.http.post(answers_url(stage, question), json={"client_id": "late", "text": "Hi"})

    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]


async def test_concurrent_duplicate_submits_make_one_answer(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant(0)
    url = answers_url(stage, question)
    body = {"client_id": "twin", "text": "Sent twice on a flaky line"}

    responses = await asyncio.gather(*(participant.http.post(url, json=body) for _ in range(4)))

    assert sorted(response.status_code for response in responses) == [200, 200, 200, 201]
    assert len({response.json()["id"] for response in responses}) == 1
    assert await stage.count(Answer) == 1
    assert len(await stage.events("answer.submitted")) == 1


async def test_a_client_id_is_the_authors_own_and_cannot_be_reused_for_another_question(stage: Stage) -> None:
    question = await stage.live_question()
    amina = await stage.participant(0)
    rafiq = await stage.participant(0)

    mine = await amina.http.post(answers_url(stage, question), json={"client_id": "same", "text": "A"})
    theirs = await rafiq.http.post(answers_url(stage, question), json={"client_id": "same", "text": "B"})
    await stage.close(question["id"])
    other = await stage.live_question()
    reused = await amina.http.post(answers_url(stage, other), json={"client_id": "same", "text": "C"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert reused.status_code == 409
    assert reused.json()["code"] == "client_id_reused"


async def test_answers_are_taken_only_while_the_question_is_live(stage: Stage) -> None:
    question = await stage.question()
    await stage.allocate(question["id"], 0)
    participant = await stage.participant(0)
    url = answers_url(stage, question)

    pending = await participant.http.post(url, json={"client_id": "p", "text": "Too early"})
    await stage.push(question["id"])
    await stage.close(question["id"])
    closed = await participant.http.post(url, json={"client_id": "c", "text": "Too late"})

    for response in (pending, closed):
        assert response.status_code == 409
        assert response.json()["code"] == "question_not_live"
    assert await stage.count(Answer) == 0


async def test_who_may_answer_in_a_room(stage: Stage) -> None:
    question = await stage.live_question()
    await stage.allocate(question["id"], 0, 1)
    member = await stage.participant(0)
    moderator = await stage.moderator(0)
    elsewhere = await stage.participant(1)
    observer = await stage.person("observer")
    stranger = await stage.stranger()
    url = answers_url(stage, question)

    assert (await member.http.post(url, json={"client_id": "m", "text": "Yes"})).status_code == 201
    assert (await moderator.http.post(url, json={"client_id": "m", "text": "Yes"})).status_code == 201
    for refused in (elsewhere.http, observer.http, stage.organiser):
        response = await refused.post(url, json={"client_id": "x", "text": "Yes"})
        assert response.status_code == 403, response.text
    assert (await stranger.post(url, json={"client_id": "x", "text": "Yes"})).status_code == 404
    unallocated = await member.http.post(
        answers_url(stage, {"id": str(uuid.uuid4())}), json={"client_id": "y", "text": "?"}
    )
    assert unallocated.status_code == 404
    # Room B's reader cannot read room A's answers either.
    assert (await elsewhere.http.get(f"/api/rooms/{stage.rooms[0]}/answers")).status_code == 403
    assert (await stranger.get(f"/api/rooms/{stage.rooms[0]}/answers")).status_code == 404
    assert await stage.count(Answer) == 2


async def test_answers_stop_when_the_rooms_close(stage: Stage) -> None:
    """Closing the rooms closes their live questions, so a late answer finds its question closed."""
    question = await stage.live_question()
    participant = await stage.participant(0)
    await stage.to_phase("report_back")

    response = await participant.http.post(answers_url(stage, question), json={"client_id": "r", "text": "Hi"})

    assert response.status_code == 409
    assert response.json()["code"] == "question_not_live"
    assert await stage.count(Answer) == 0


async def test_each_submit_reports_room_progress_to_staff(stage: Stage) -> None:
    question = await stage.live_question()
    amina, rafiq, _ = [await stage.participant(0) for _ in range(3)]
    moderator = await stage.moderator(0)
    await stage.participant(1)  # another room's people do not count
    url = answers_url(stage, question)

    await amina.http.post(url, json={"client_id": "1", "text": "One"})
    await amina.http.post(url, json={"client_id": "2", "text": "Two"})
    await moderator.http.post(url, json={"client_id": "3", "text": "Staff"})
    await rafiq.http.post(url, json={"client_id": "4", "text": "Three"})

    progress = [event.payload["progress"] for event in await stage.events("room.progress")][-4:]
    assert [(p["answered"], p["assigned"]) for p in progress] == [(1, 3), (1, 3), (1, 3), (2, 3)]
    assert {p["question_id"] for p in progress} == {question["id"]}
    assert all(event.stream == f"staff:{stage.meeting_id}" for event in await stage.events("room.progress"))
    submitted = await stage.events("answer.submitted")
    assert [event.payload["count"] for event in submitted] == [1, 2, 3, 4]


async def test_edit_only_by_the_author_and_only_while_live(stage: Stage) -> None:
    question = await stage.live_question()
    author = await stage.participant(0)
    peer = await stage.participant(0)
    moderator = await stage.moderator(0)
    answer = (await author.http.post(answers_url(stage, question), json={"client_id": "e", "text": "Draft"})).json()
    url = f"/api/answers/{answer['id']}"

    edited = await author.http.patch(url, json={"text": "Final"})
    by_peer = await peer.http.patch(url, json={"text": "Hijacked"})
    by_moderator = await moderator.http.patch(url, json={"text": "Moderated"})
    wrong_kind = await author.http.patch(url, json={"scale_value": 3})
    await stage.close(question["id"])
    after_close = await author.http.patch(url, json={"text": "Too late"})

    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "Final"
    assert edited.json()["updated_at"] > answer["updated_at"]
    assert (by_peer.status_code, by_moderator.status_code) == (403, 403)
    assert wrong_kind.status_code == 422
    assert after_close.status_code == 409
    assert after_close.json()["code"] == "question_not_live"
    [event] = await stage.events("answer.edited")
    assert event.payload["answer"]["text"] == "Final"
    stranger = await stage.stranger()
    assert (await stranger.patch(url, json={"text": "x"})).status_code == 404


async def test_the_socket_submit_uses_the_command_id_as_client_id(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant(0)
    command = AnswerSubmit(
        id="sock-1",
        type="answer.submit",
        room_id=uuid.UUID(stage.rooms[0]),
        question_id=uuid.UUID(question["id"]),
        text="Over the socket",
    )

    async with unit_of_work(stage.state.database.write_sessions, stage.state.bus) as uow:
        result = await SOCKET_COMMANDS["answer.submit"](uow, Actor(participant_id=uuid.UUID(participant.id)), command)
    retry = await participant.http.post(answers_url(stage, question), json={"client_id": "sock-1", "text": "Again"})

    assert isinstance(result, BaseModel)
    assert retry.status_code == 200
    assert retry.json()["id"] == str(result.model_dump()["id"])
    assert retry.json()["text"] == "Over the socket"
    assert await stage.count(Answer) == 1
