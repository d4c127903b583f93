"""A choice or scale question takes one answer per person: answering again replaces the choice."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import pytest

from app.answers.models import Answer
from tests.answers.test_submit import CHOICES, answers_url
from tests.questions.staging import Stage

SOLE_KINDS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    # kind: (question fields, first answer, second answer)
    "single": ({"kind": "single_choice", "options": CHOICES}, {"choice_ids": ["a"]}, {"choice_ids": ["b"]}),
    "multiple": ({"kind": "multiple_choice", "options": CHOICES}, {"choice_ids": ["a"]}, {"choice_ids": ["b", "c"]}),
    "scale": ({"kind": "scale", "scale_min": 1, "scale_max": 5}, {"scale_value": 2}, {"scale_value": 5}),
}


def listing_url(stage: Stage, question: dict[str, Any]) -> str:
    return f"/api/rooms/{stage.rooms[0]}/answers?question_id={question['id']}"


@pytest.mark.parametrize("kind", list(SOLE_KINDS))
async def test_answering_again_replaces_the_earlier_choice(stage: Stage, kind: str) -> None:
    fields, first_value, second_value = SOLE_KINDS[kind]
    question = await stage.live_question(**fields)
    amina = await stage.participant(0)
    url = answers_url(stage, question)

    first = await amina.http.post(url, json={"client_id": "c-1", **first_value})
    second = await amina.http.post(url, json={"client_id": "c-2", **second_value})

    assert first.status_code == 201, first.text
    assert second.status_code == 200, second.text
    assert second.json()["id"] == first.json()["id"]
    for name, value in second_value.items():
        assert second.json()[name] == value
    assert second.json()["mine"] is True
    assert await stage.count(Answer) == 1
    listed = (await amina.http.get(listing_url(stage, question))).json()
    assert [{name: answer[name] for name in second_value} for answer in listed] == [second_value]
    assert len(await stage.events("answer.submitted")) == 1
    edited = await stage.events("answer.edited")
    assert len(edited) == 1  # one update for the change
    assert edited[0].payload["answer_id"] == first.json()["id"]


async def test_an_open_question_keeps_several_answers_per_person(stage: Stage) -> None:
    question = await stage.live_question()
    amina = await stage.participant(0)
    url = answers_url(stage, question)

    responses = [await amina.http.post(url, json={"client_id": f"o-{n}", "text": f"Idea {n}"}) for n in range(3)]

    assert [response.status_code for response in responses] == [201, 201, 201]
    assert await stage.count(Answer) == 3


async def test_each_person_has_their_own_answer(stage: Stage) -> None:
    fields, first_value, second_value = SOLE_KINDS["single"]
    question = await stage.live_question(**fields)
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    url = answers_url(stage, question)

    mine = await amina.http.post(url, json={"client_id": "same", **first_value})
    theirs = await rafiq.http.post(url, json={"client_id": "same", **second_value})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert await stage.count(Answer) == 2


async def test_a_changed_answer_after_the_question_closed_is_refused(stage: Stage) -> None:
    fields, first_value, second_value = SOLE_KINDS["scale"]
    question = await stage.live_question(**fields)
    amina = await stage.participant(0)
    url = answers_url(stage, question)
    first = await amina.http.post(url, json={"client_id": "c-1", **first_value})
    await stage.close(question["id"])

    changed = await amina.http.post(url, json={"client_id": "c-2", **second_value})
    retry = await amina.http.post(url, json={"client_id": "c-1", **first_value})

    assert changed.status_code == 409, changed.text
    assert changed.json()["code"] == "question_not_live"
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    answers = (await amina.http.get(listing_url(stage, question))).json()
    assert [answer["scale_value"] for answer in answers] == [2]
    assert await stage.events("answer.edited") == []


@pytest.mark.parametrize("kind", ["single", "scale"])
async def test_racing_answers_of_one_person_leave_one_answer(stage: Stage, kind: str) -> None:
    fields, _, _ = SOLE_KINDS[kind]
    question = await stage.live_question(**fields)
    amina = await stage.participant(0)
    url = answers_url(stage, question)
    values: list[dict[str, Any]] = (
        [{"choice_ids": [choice["id"]]} for choice in CHOICES] + [{"choice_ids": ["a"]}]
        if kind == "single"
        else [{"scale_value": value} for value in (1, 2, 3, 4)]
    )

    responses = await asyncio.gather(
        *(amina.http.post(url, json={"client_id": f"race-{n}", **value}) for n, value in enumerate(values))
    )

    assert sorted(response.status_code for response in responses) == [200] * (len(values) - 1) + [201]
    assert len({response.json()["id"] for response in responses}) == 1
    assert await stage.count(Answer) == 1
    assert len(await stage.events("answer.submitted")) == 1
    assert len(await stage.events("answer.edited")) == len(values) - 1


async def test_the_answers_csv_has_one_row_per_person_for_a_changed_choice(stage: Stage) -> None:
    fields, first_value, second_value = SOLE_KINDS["single"]
    question = await stage.live_question(**fields)
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    url = answers_url(stage, question)
    await amina.http.post(url, json={"client_id": "1", **first_value})
    await amina.http.post(url, json={"client_id": "2", **second_value})
    await rafiq.http.post(url, json={"client_id": "1", **second_value})

    response = await stage.organiser.get(f"/api/meetings/{stage.meeting_id}/answers.csv")

    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert sorted(row["choice_ids"] for row in rows) == ["b", "b"]


async def test_the_report_counts_a_changed_scale_answer_once(stage: Stage) -> None:
    fields, first_value, second_value = SOLE_KINDS["scale"]
    question = await stage.live_question(**fields)
    amina, rafiq = await stage.participant(0), await stage.participant(0)
    url = answers_url(stage, question)
    await amina.http.post(url, json={"client_id": "1", **first_value})
    await amina.http.post(url, json={"client_id": "2", **second_value})
    await rafiq.http.post(url, json={"client_id": "1", "scale_value": 3})

    response = await stage.organiser.get(f"/api/meetings/{stage.meeting_id}/report")

    assert response.status_code == 200, response.text
    [reported] = [
        item for theme in response.json()["themes"] for item in theme["questions"] if item["code"] == question["code"]
    ]
    assert reported["overall"]["respondents"] == 2
    assert reported["overall"]["mean"] == 4.0  # (5 + 3) / 2: the earlier 2 replaced
