"""Tallies of choice and scale questions: people counted once, hidden answers left out, results
shown to the room per the question's visibility, and one ``question.tally`` per batch."""

from __future__ import annotations

from typing import Any

from app.live.commands import CommandDispatcher
from app.realtime.protocol import Ack
from tests.answers.test_batch import submit, together
from tests.answers.test_submit import CHOICES, answers_url
from tests.questions.staging import Person, Stage, staff_payload


async def room_snapshot(stage: Stage, person: Person) -> dict[str, Any]:
    response = await person.http.get(
        "/api/live/snapshot", params={"meeting_id": stage.meeting_id, "stream": f"room:{stage.rooms[0]}"}
    )
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()["state"]
    return state


def counts(tally: dict[str, Any]) -> dict[str, int]:
    return {option["option_id"]: option["count"] for option in tally["options"]}


async def test_a_choice_tally_counts_people_and_follows_a_changed_answer(stage: Stage) -> None:
    question = await stage.live_question(kind="multiple_choice", options=CHOICES)
    people = [await stage.participant(0) for _ in range(3)]
    moderator = await stage.moderator(0)
    url = answers_url(stage, question)
    await people[0].http.post(url, json={"client_id": "1", "choice_ids": ["a", "b"]})
    await people[1].http.post(url, json={"client_id": "1", "choice_ids": ["a"]})
    await people[2].http.post(url, json={"client_id": "1", "choice_ids": ["c"]})
    changed = await people[0].http.post(url, json={"client_id": "2", "choice_ids": ["b"]})

    [tally] = (await room_snapshot(stage, people[1]))["tallies"]
    assert (tally["respondents"], counts(tally)) == (3, {"a": 1, "b": 1, "c": 1})
    events = await stage.events("question.tally")
    assert len(events) == 1 + 4  # the push, then one per answer and one for the change
    assert events[-1].payload["tally"] == tally

    hidden = await moderator.http.post(f"/api/answers/{changed.json()['id']}/moderation", json={"hidden": True})
    assert hidden.status_code == 200, hidden.text
    [tally] = (await room_snapshot(stage, moderator))["tallies"]
    assert (tally["respondents"], counts(tally)) == (2, {"a": 1, "b": 0, "c": 1})
    assert (await stage.events("question.tally"))[-1].payload["tally"] == tally


async def test_a_scale_tally_has_the_histogram_mean_and_median(stage: Stage) -> None:
    question = await stage.live_question(kind="scale", scale_min=1, scale_max=5)
    people = [await stage.participant(0) for _ in range(4)]
    url = answers_url(stage, question)
    for person, value in zip(people, (2, 4, 5, 5), strict=True):
        response = await person.http.post(url, json={"client_id": "1", "scale_value": value})
        assert response.status_code == 201, response.text

    [tally] = (await room_snapshot(stage, people[0]))["tallies"]

    assert tally["respondents"] == 4
    assert [(point["value"], point["count"]) for point in tally["scale"]] == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 2)]
    assert (tally["mean"], tally["median"]) == (4.0, 4.5)


async def test_results_shown_after_close_reach_the_room_only_then(stage: Stage) -> None:
    question = await stage.live_question(kind="single_choice", options=CHOICES, visibility="after_close")
    amina = await stage.participant(0)
    moderator = await stage.moderator(0)
    await amina.http.post(answers_url(stage, question), json={"client_id": "1", "choice_ids": ["b"]})

    assert (await room_snapshot(stage, amina))["tallies"] == []
    [staff_tally] = (await room_snapshot(stage, moderator))["tallies"]
    assert counts(staff_tally) == {"a": 0, "b": 1, "c": 0}
    told = (await stage.events("question.tally"))[-1]
    assert told.payload["tally"] is None and staff_payload(told)["tally"] == staff_tally

    await stage.close(question["id"])

    assert (await room_snapshot(stage, amina))["tallies"] == [staff_tally]
    assert (await stage.events("question.tally"))[-1].payload["tally"] == staff_tally


async def test_answers_committed_together_are_told_in_one_tally(stage: Stage) -> None:
    question = await stage.live_question(kind="single_choice", options=CHOICES)
    people = [await stage.participant(0) for _ in range(4)]
    dispatcher = CommandDispatcher(stage.state.database, stage.state.bus, writer=stage.state.live.writer)
    told_before = len(await stage.events("question.tally"))

    results = await together(
        dispatcher,
        *(
            (person, submit(stage, question, f"c-{n}", choice_ids=["a" if n % 2 else "b"]))
            for n, person in enumerate(people)
        ),
        (people[0], submit(stage, question, "again", choice_ids=["c"])),
    )

    assert all(isinstance(result, Ack) for result in results), results
    told = (await stage.events("question.tally"))[told_before:]
    assert len(told) == 1  # a level: one per room and question for the whole batch
    assert told[0].payload["tally"]["respondents"] == 4
    assert counts(told[0].payload["tally"]) == {"a": 2, "b": 1, "c": 1}
