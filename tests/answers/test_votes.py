from __future__ import annotations

import asyncio
from typing import Any

from app.answers.models import Vote
from tests.questions.staging import Person, Stage


async def answered(
    stage: Stage, author: Person, question: dict[str, Any], text: str, room_index: int = 0
) -> dict[str, Any]:
    url = f"/api/rooms/{stage.rooms[room_index]}/questions/{question['id']}/answers"
    response = await author.http.post(url, json={"client_id": f"c-{text[:20].replace(' ', '-')}", "text": text})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_one_upvote_per_participant_per_answer(stage: Stage) -> None:
    question = await stage.live_question()
    author, voter, other_voter = [await stage.participant(0) for _ in range(3)]
    answer = await answered(stage, author, question, "Train border officials")
    url = f"/api/answers/{answer['id']}/vote"

    first = await voter.http.post(url, json={"upvote": True})
    second = await voter.http.post(url, json={"upvote": True})
    other = await other_voter.http.post(url, json={})  # upvote is the default

    assert first.status_code == 200, first.text
    assert (first.json()["votes"], first.json()["voted"]) == (1, True)
    assert second.status_code == 409
    assert second.json()["code"] == "already_voted"
    assert other.json()["votes"] == 2
    listed = (await author.http.get(f"/api/rooms/{stage.rooms[0]}/answers")).json()
    assert (listed[0]["votes"], listed[0]["voted"]) == (2, False)
    events = await stage.events("answer.voted", f"room:{stage.rooms[0]}")
    assert [event.payload for event in events] == [
        {"answer_id": answer["id"], "votes": 1},
        {"answer_id": answer["id"], "votes": 2},
    ]


async def test_withdrawing_a_vote_and_withdrawing_one_never_given(stage: Stage) -> None:
    question = await stage.live_question()
    author, voter = await stage.participant(0), await stage.participant(0)
    answer = await answered(stage, author, question, "More shelters")
    url = f"/api/answers/{answer['id']}/vote"
    await voter.http.post(url, json={"upvote": True})

    withdrawn = await voter.http.post(url, json={"upvote": False})
    again = await voter.http.post(url, json={"upvote": False})

    assert withdrawn.status_code == 200
    assert (withdrawn.json()["votes"], withdrawn.json()["voted"]) == (0, False)
    assert again.status_code == 409
    assert again.json()["code"] == "not_voted"
    assert await stage.count(Vote) == 0


async def test_concurrent_double_upvotes_count_once(stage: Stage) -> None:
    question = await stage.live_question()
    author, voter = await stage.participant(0), await stage.participant(0)
    answer = await answered(stage, author, question, "Shared database")
    url = f"/api/answers/{answer['id']}/vote"

    responses = await asyncio.gather(*(voter.http.post(url, json={"upvote": True}) for _ in range(3)))

    assert sorted(response.status_code for response in responses) == [200, 409, 409]
    assert await stage.count(Vote) == 1


async def test_no_votes_on_ones_own_or_hidden_answers_nor_from_other_rooms(stage: Stage) -> None:
    question = await stage.live_question()
    await stage.allocate(question["id"], 0, 1)
    author, voter = await stage.participant(0), await stage.participant(0)
    elsewhere = await stage.participant(1)
    observer = await stage.person("observer")
    stranger = await stage.stranger()
    answer = await answered(stage, author, question, "Fund legal aid")
    url = f"/api/answers/{answer['id']}/vote"

    own = await author.http.post(url, json={"upvote": True})
    other_room = await elsewhere.http.post(url, json={"upvote": True})
    by_observer = await observer.http.post(url, json={"upvote": True})
    by_stranger = await stranger.post(url, json={"upvote": True})
    await stage.organiser.post(f"/api/answers/{answer['id']}/moderation", json={"hidden": True})
    hidden = await voter.http.post(url, json={"upvote": True})

    assert own.status_code == 409
    assert own.json()["code"] == "own_answer"
    assert (other_room.status_code, by_observer.status_code, by_stranger.status_code) == (403, 403, 404)
    assert hidden.status_code == 409
    assert hidden.json()["code"] == "answer_hidden"
    assert await stage.count(Vote) == 0
