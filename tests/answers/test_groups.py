"""Groups of similar answers in a room: off until a moderator turns them on per question, the
plenary's grouping over the answers participants may see, shown per the question's visibility,
and one ``question.groups`` per room and question for a batch of answers."""

from __future__ import annotations

import uuid
from typing import Any

from app.live.commands import CommandDispatcher
from app.realtime.protocol import Ack, ErrorFrame, QuestionGroup
from tests.answers.test_batch import actor, submit, together
from tests.answers.test_submit import CHOICES, answers_url
from tests.answers.test_tally import room_snapshot
from tests.questions.staging import Person, Stage, staff_payload

GAP = ("Close the legal gap", "Close the legal gaps", "close the legal gap!")
OTHER = "Train prosecutors in every district"


def grouping_url(stage: Stage, question: dict[str, Any], room_index: int = 0) -> str:
    return f"/api/rooms/{stage.rooms[room_index]}/questions/{question['id']}/grouping"


async def answer(stage: Stage, person: Person, question: dict[str, Any], text: str, client_id: str = "1") -> str:
    response = await person.http.post(answers_url(stage, question), json={"client_id": client_id, "text": text})
    assert response.status_code == 201, response.text
    answer_id: str = response.json()["id"]
    return answer_id


def shape(groups: dict[str, Any]) -> list[tuple[str, int, list[str]]]:
    return [(group["label"], group["count"], group["answer_ids"]) for group in groups["groups"]]


async def test_the_moderator_turns_grouping_on_and_the_room_sees_its_answers_grouped(stage: Stage) -> None:
    question = await stage.live_question()
    people = [await stage.participant(0) for _ in range(4)]
    moderator = await stage.moderator(0)
    ids = [await answer(stage, person, question, text) for person, text in zip(people, (*GAP, OTHER), strict=True)]

    before = await room_snapshot(stage, people[0])
    assert before["answer_groups"] == [] and [a["grouped"] for a in before["allocations"]] == [False]
    assert await stage.events("question.groups") == []  # off: answers are not grouped at all

    turned = await moderator.http.put(grouping_url(stage, question), json={"grouped": True})
    assert turned.status_code == 200, turned.text
    assert turned.json()["grouped"] is True

    [groups] = (await room_snapshot(stage, people[1]))["answer_groups"]
    assert groups["question_id"] == question["id"]
    assert [(count, members) for _, count, members in shape(groups)] == [(3, ids[:3]), (1, ids[3:])]
    # A group is named by a phrase of its members' own words; an answer alone by its text.
    label = shape(groups)[0][0].casefold()
    assert label and all(word in GAP[0].casefold() for word in label.split()), label
    assert shape(groups)[1][0] == OTHER
    [told] = await stage.events("question.groups")
    assert told.payload["grouped"] is True and told.payload["groups"] == groups
    assert (await room_snapshot(stage, moderator))["answer_groups"] == [groups]

    # A new answer regroups the room's answers, told as a level.
    late = await answer(stage, await stage.participant(0), question, "Train the prosecutors in every district")
    [groups] = (await room_snapshot(stage, people[0]))["answer_groups"]
    assert [members for _, _, members in shape(groups)] == [ids[:3], [ids[3], late]]
    assert (await stage.events("question.groups"))[-1].payload["groups"] == groups

    # An author's edit regroups them too.
    edited = await people[3].http.patch(f"/api/answers/{ids[3]}", json={"text": "Close the legal gap soon"})
    assert edited.status_code == 200, edited.text
    [groups] = (await room_snapshot(stage, people[0]))["answer_groups"]
    assert [members for _, _, members in shape(groups)] == [[*ids[:3], ids[3]], [late]]

    off = await moderator.http.put(grouping_url(stage, question), json={"grouped": False})
    assert off.status_code == 200 and off.json()["grouped"] is False
    after = await room_snapshot(stage, people[0])
    assert after["answer_groups"] == [] and [a["grouped"] for a in after["allocations"]] == [False]
    last = (await stage.events("question.groups"))[-1]
    assert (last.payload["grouped"], last.payload["groups"], staff_payload(last)["groups"]) == (False, None, None)


async def test_turning_grouping_to_what_it_is_changes_nothing(stage: Stage) -> None:
    question = await stage.live_question()
    moderator = await stage.moderator(0)
    for _ in range(2):
        response = await moderator.http.put(grouping_url(stage, question), json={"grouped": True})
        assert response.status_code == 200, response.text
    assert len(await stage.events("question.groups")) == 1
    response = await moderator.http.put(grouping_url(stage, await stage.question()), json={"grouped": False})
    assert response.status_code == 404, response.text  # not allocated to this room


async def test_hidden_and_merged_answers_leave_the_groups(stage: Stage) -> None:
    question = await stage.live_question()
    people = [await stage.participant(0) for _ in range(4)]
    moderator = await stage.moderator(0)
    ids = [await answer(stage, person, question, text) for person, text in zip(people, (*GAP, OTHER), strict=True)]
    await moderator.http.put(grouping_url(stage, question), json={"grouped": True})

    hidden = await moderator.http.post(f"/api/answers/{ids[0]}/moderation", json={"hidden": True})
    assert hidden.status_code == 200, hidden.text
    [groups] = (await room_snapshot(stage, moderator))["answer_groups"]
    assert [members for _, _, members in shape(groups)] == [ids[1:3], ids[3:]]

    merged = await moderator.http.post(
        f"/api/rooms/{stage.rooms[0]}/answers/merge", json={"answer_ids": ids[1:3], "text": "Close the legal gaps"}
    )
    assert merged.status_code == 201, merged.text
    [groups] = (await room_snapshot(stage, people[0]))["answer_groups"]
    assert sorted(members for _, _, members in shape(groups)) == sorted([[merged.json()["id"]], ids[3:]])
    assert (await stage.events("question.groups"))[-1].payload["groups"] == groups


async def test_groups_of_a_question_shown_after_close_reach_the_room_only_then(stage: Stage) -> None:
    question = await stage.live_question(visibility="after_close")
    people = [await stage.participant(0) for _ in range(3)]
    moderator = await stage.moderator(0)
    ids = [await answer(stage, person, question, text) for person, text in zip(people, GAP, strict=True)]
    await moderator.http.put(grouping_url(stage, question), json={"grouped": True})

    assert (await room_snapshot(stage, people[0]))["answer_groups"] == []
    [staff_groups] = (await room_snapshot(stage, moderator))["answer_groups"]
    assert [members for _, _, members in shape(staff_groups)] == [ids]
    told = (await stage.events("question.groups"))[-1]
    assert told.payload["groups"] is None and told.payload["grouped"] is True
    assert staff_payload(told)["groups"] == staff_groups

    await stage.close(question["id"])

    assert (await room_snapshot(stage, people[0]))["answer_groups"] == [staff_groups]
    assert (await stage.events("question.groups"))[-1].payload["groups"] == staff_groups


async def test_only_the_rooms_staff_group_and_only_open_questions(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant(0)
    other_moderator = await stage.moderator(1)
    moderator = await stage.moderator(0)
    url = grouping_url(stage, question)

    assert (await participant.http.put(url, json={"grouped": True})).status_code == 403
    assert (await other_moderator.http.put(url, json={"grouped": True})).status_code == 403
    assert (await (await stage.stranger()).put(url, json={"grouped": True})).status_code in (403, 404)
    for body in ({}, {"grouped": "yes please"}, {"grouped": None}, []):
        refused = await moderator.http.put(url, json=body)
        assert refused.status_code == 422, (body, refused.text)
        assert set(refused.json()) >= {"code", "message", "details"}
    assert await stage.events("question.groups") == []

    choice = await stage.question(kind="single_choice", options=CHOICES)
    await stage.allocate(choice["id"], 0)
    refused = await moderator.http.put(grouping_url(stage, choice), json={"grouped": True})
    assert refused.status_code == 409 and refused.json()["code"] == "question_not_open", refused.text
    organiser = await stage.organiser.put(url, json={"grouped": True})
    assert organiser.status_code == 200, organiser.text


async def test_answers_committed_together_are_grouped_once_and_the_socket_door_works(stage: Stage) -> None:
    question = await stage.live_question()
    people = [await stage.participant(0) for _ in range(4)]
    moderator = await stage.moderator(0)
    dispatcher = CommandDispatcher(stage.state.database, stage.state.bus, writer=stage.state.live.writer)
    command = QuestionGroup(
        id="g-1",
        type="question.group",
        room_id=uuid.UUID(stage.rooms[0]),
        question_id=uuid.UUID(question["id"]),
        grouped=True,
    )
    refused = await dispatcher.run(actor(people[0]), command)
    assert isinstance(refused, ErrorFrame) and refused.code == "forbidden", refused
    turned = await dispatcher.run(actor(moderator), command)
    assert isinstance(turned, Ack) and isinstance(turned.result, dict) and turned.result["grouped"] is True
    told_before = len(await stage.events("question.groups"))

    results = await together(
        dispatcher,
        *(
            (person, submit(stage, question, f"c-{n}", text=text))
            for n, (person, text) in enumerate(zip(people, (*GAP, OTHER), strict=True))
        ),
    )

    assert all(isinstance(result, Ack) for result in results), results
    told = (await stage.events("question.groups"))[told_before:]
    assert len(told) == 1  # a level: one per room and question for the whole batch
    assert [group["count"] for group in told[0].payload["groups"]["groups"]] == [3, 1]
