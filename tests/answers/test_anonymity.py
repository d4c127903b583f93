from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from app.realtime.eventlog import EventRecord
from tests.questions.staging import Stage, staff_payload

AUTHOR_NAME = "Amina Rahman"
# What each reader sees as (author, author_id) of Amina's answer: "name" is her display name and
# id, None is (None, None).
EXPECTED: dict[str, dict[str, str | None]] = {
    "named": {"peer": "name", "author": "name", "moderator": "name", "organiser": "name", "observer": "name"},
    "anonymous_to_peers": {"peer": None, "author": None, "moderator": "name", "organiser": "name", "observer": None},
    "fully_anonymous": {"peer": None, "author": None, "moderator": None, "organiser": None, "observer": None},
}


def shown(view: dict[str, Any]) -> tuple[str | None, str | None]:
    return view["author"], view["author_id"]


@pytest.mark.parametrize("anonymity", list(EXPECTED))
async def test_who_sees_the_author_in_rest_and_in_stored_events(stage: Stage, anonymity: str) -> None:
    question = await stage.live_question(anonymity=anonymity)
    amina = await stage.participant(0, name=AUTHOR_NAME)
    readers = {
        "author": amina.http,
        "peer": (await stage.participant(0)).http,
        "moderator": (await stage.moderator(0)).http,
        "organiser": stage.organiser,
        "observer": (await stage.person("observer")).http,
    }
    url = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"
    submitted = await amina.http.post(url, json={"client_id": "anon-1", "text": "Decriminalise the migrants"})
    assert submitted.status_code == 201
    answer_id = submitted.json()["id"]
    edited = await amina.http.patch(f"/api/answers/{answer_id}", json={"text": "Protect the smuggled migrants"})
    assert edited.status_code == 200
    named = (AUTHOR_NAME, amina.id)

    for role, http in readers.items():
        [view] = (await http.get(f"/api/rooms/{stage.rooms[0]}/answers")).json()
        expected = named if EXPECTED[anonymity][role] == "name" else (None, None)
        assert shown(view) == expected, role
        assert view["mine"] is (role == "author")
    assert shown(submitted.json()) == (named if EXPECTED[anonymity]["author"] else (None, None))

    for event_type in ("answer.submitted", "answer.edited"):
        [event] = await stage.events(event_type)
        assert event.stream == f"room:{stage.rooms[0]}"
        peers_expected = named if EXPECTED[anonymity]["peer"] == "name" else (None, None)
        staff_expected = named if EXPECTED[anonymity]["moderator"] == "name" else (None, None)
        assert shown(event.payload["answer"]) == peers_expected
        assert event.payload["answer"]["mine"] is False
        assert event.staff_payload is not None
        assert shown(staff_payload(event)["answer"]) == staff_expected
    if anonymity == "fully_anonymous":
        # Not in any payload of any event of the meeting, peers' or staff's.
        async with stage.state.database.reading() as session:
            answer_events = (await session.scalars(select(EventRecord).where(EventRecord.type.like("answer.%")))).all()
        for event in answer_events:
            dumped = json.dumps([event.payload, event.staff_payload])
            assert amina.id not in dumped and AUTHOR_NAME not in dumped, event.type


async def test_answers_shown_after_close_stay_private_until_the_question_closes(stage: Stage) -> None:
    question = await stage.live_question(visibility="after_close", anonymity="named")
    amina = await stage.participant(0, name=AUTHOR_NAME)
    rafiq = await stage.participant(0)
    moderator = await stage.moderator(0)
    listing = f"/api/rooms/{stage.rooms[0]}/answers?question_id={question['id']}"
    url = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"
    mine = (await amina.http.post(url, json={"client_id": "a", "text": "Amina's view"})).json()
    theirs = (await rafiq.http.post(url, json={"client_id": "r", "text": "Rafiq's view"})).json()
    hidden = (await rafiq.http.post(url, json={"client_id": "h", "text": "Rude"})).json()
    await moderator.http.post(f"/api/answers/{hidden['id']}/moderation", json={"hidden": True})

    before = [a["id"] for a in (await amina.http.get(listing)).json()]
    staff_before = [a["id"] for a in (await moderator.http.get(listing)).json()]
    vote_before = await amina.http.post(f"/api/answers/{theirs['id']}/vote", json={"upvote": True})
    await stage.close(question["id"])
    after = [a["id"] for a in (await amina.http.get(listing)).json()]

    assert before == [mine["id"]]
    assert staff_before == [mine["id"], theirs["id"], hidden["id"]]
    assert vote_before.status_code == 409
    assert vote_before.json()["code"] == "not_revealed"
    assert after == [mine["id"], theirs["id"]]
    submitted = await stage.events("answer.submitted")
    assert all(event.payload["answer"] is None for event in submitted)
    assert [event.payload["count"] for event in submitted] == [1, 2, 3]
    assert all(staff_payload(event)["answer"]["text"] for event in submitted)
    [closed] = await stage.events("question.closed")
    assert [a["id"] for a in closed.payload["answers"]] == [mine["id"], theirs["id"]]
    assert [a["id"] for a in staff_payload(closed)["answers"]] == [mine["id"], theirs["id"], hidden["id"]]
    assert closed.payload["answers"][0]["author"] == AUTHOR_NAME


async def test_an_after_close_merge_is_told_to_peers_without_the_merged_text(stage: Stage) -> None:
    question = await stage.live_question(visibility="after_close")
    amina = await stage.participant(0)
    url = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"
    ids = [(await amina.http.post(url, json={"client_id": c, "text": c})).json()["id"] for c in ("x", "y")]

    merged = await stage.organiser.post(f"/api/rooms/{stage.rooms[0]}/answers/merge", json={"answer_ids": ids})

    assert merged.status_code == 201
    [event] = await stage.events("answer.merged")
    assert event.payload == {"merged": None, "source_ids": ids}
    assert staff_payload(event)["merged"]["id"] == merged.json()["id"]
