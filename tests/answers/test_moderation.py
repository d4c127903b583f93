from __future__ import annotations

import uuid

import httpx

from app.answers.models import AnswerSource, Vote
from tests.answers.test_votes import answered
from tests.questions.staging import Stage, staff_payload


async def test_hiding_and_pinning_with_events(stage: Stage) -> None:
    question = await stage.live_question()
    author, peer = await stage.participant(0), await stage.participant(0)
    moderator = await stage.moderator(0)
    answer = await answered(stage, author, question, "Off topic")
    url = f"/api/answers/{answer['id']}/moderation"
    listing = f"/api/rooms/{stage.rooms[0]}/answers"

    hidden = await moderator.http.post(url, json={"hidden": True})
    unchanged = await moderator.http.post(url, json={"hidden": True})
    peer_sees = (await peer.http.get(listing)).json()
    staff_sees = (await moderator.http.get(listing)).json()
    pinned = await moderator.http.post(url, json={"hidden": False, "pinned": True})

    assert hidden.status_code == 200, hidden.text
    assert hidden.json()["hidden"] is True
    assert unchanged.status_code == 200
    assert peer_sees == []
    assert [(a["id"], a["hidden"]) for a in staff_sees] == [(answer["id"], True)]
    assert (pinned.json()["hidden"], pinned.json()["pinned"]) == (False, True)
    assert [a["pinned"] for a in (await peer.http.get(listing)).json()] == [True]
    events = await stage.events("answer.moderated", f"room:{stage.rooms[0]}")
    assert len(events) == 2  # setting what is already so emits nothing
    assert events[0].payload == {"answer_id": answer["id"], "answer": None}  # peers drop it
    assert staff_payload(events[0])["answer"]["hidden"] is True
    assert events[1].payload["answer"]["pinned"] is True


async def test_who_may_moderate(stage: Stage) -> None:
    question = await stage.live_question()
    author = await stage.participant(0)
    other_moderator = await stage.moderator(1)
    stranger = await stage.stranger()
    answer = await answered(stage, author, question, "Something")
    url = f"/api/answers/{answer['id']}/moderation"

    assert (await author.http.post(url, json={"pinned": True})).status_code == 403
    assert (await other_moderator.http.post(url, json={"pinned": True})).status_code == 403
    assert (await stranger.post(url, json={"pinned": True})).status_code == 404
    assert (await stage.organiser.post(url, json={})).status_code == 422
    assert (
        await stage.organiser.post(f"/api/answers/{uuid.uuid4()}/moderation", json={"pinned": True})
    ).status_code == 404
    assert await stage.events("answer.moderated") == []


async def test_merging_duplicates_keeps_provenance_and_carries_votes(stage: Stage) -> None:
    question = await stage.live_question(anonymity="named")
    amina, rafiq, voter_1, voter_2 = [await stage.participant(0) for _ in range(4)]
    moderator = await stage.moderator(0, name="Moderator Nadia")
    first = await answered(stage, amina, question, "Harmonise the definition")
    second = await answered(stage, rafiq, question, "harmonise definitions!")
    distinct = await answered(stage, rafiq, question, "Something else")
    for voter in (voter_1, voter_2):
        await voter.http.post(f"/api/answers/{first['id']}/vote", json={"upvote": True})
    await voter_1.http.post(f"/api/answers/{second['id']}/vote", json={"upvote": True})
    listing = f"/api/rooms/{stage.rooms[0]}/answers"

    merged = await moderator.http.post(
        f"/api/rooms/{stage.rooms[0]}/answers/merge", json={"answer_ids": [first["id"], second["id"]]}
    )

    assert merged.status_code == 201, merged.text
    body = merged.json()
    assert body["text"] == "Harmonise the definition"  # the first source's text
    assert body["source_ids"] == [first["id"], second["id"]]
    assert body["author"] == "Moderator Nadia"
    assert body["votes"] == 2  # voter_1 voted for both sources: one vote carried
    assert await stage.count(AnswerSource, answer_id=uuid.UUID(body["id"])) == 2
    assert await stage.count(Vote, answer_id=uuid.UUID(body["id"])) == 2
    peer_ids = [a["id"] for a in (await amina.http.get(listing)).json()]
    assert peer_ids == [distinct["id"], body["id"]]
    staff = {a["id"]: a for a in (await moderator.http.get(listing)).json()}
    assert staff[first["id"]]["merged_into_id"] == body["id"]
    assert staff[second["id"]]["merged_into_id"] == body["id"]
    [event] = await stage.events("answer.merged", f"room:{stage.rooms[0]}")
    assert event.payload["source_ids"] == [first["id"], second["id"]]
    assert event.payload["merged"]["id"] == body["id"]
    # A merged-away source takes no more votes or edits.
    assert (await voter_2.http.post(f"/api/answers/{second['id']}/vote", json={})).json()["code"] == "answer_merged"
    assert (await amina.http.patch(f"/api/answers/{first['id']}", json={"text": "x"})).json()["code"] == "answer_merged"


async def test_a_merge_with_its_own_text_by_the_organiser(stage: Stage) -> None:
    question = await stage.live_question()
    author = await stage.participant(0)
    first = await answered(stage, author, question, "A")
    second = await answered(stage, author, question, "B")

    merged = await stage.organiser.post(
        f"/api/rooms/{stage.rooms[0]}/answers/merge",
        json={"answer_ids": [first["id"], second["id"]], "text": "A and B together"},
    )

    assert merged.status_code == 201, merged.text
    assert merged.json()["text"] == "A and B together"
    assert merged.json()["author"] is None  # an organiser's account has no roster entry


async def test_bad_merges_are_refused(stage: Stage) -> None:
    question = await stage.live_question()
    await stage.allocate(question["id"], 0, 1)
    await stage.push(question["id"], 1)
    author, elsewhere = await stage.participant(0), await stage.participant(1)
    moderator = await stage.moderator(0)
    a, b, c = [await answered(stage, author, question, text) for text in ("one", "two", "three")]
    in_room_1 = await answered(stage, elsewhere, question, "four", room_index=1)
    await stage.close(question["id"])
    other_question = await stage.live_question()
    on_other = await answered(stage, author, other_question, "five")
    await stage.close(other_question["id"])
    scale = await stage.live_question(kind="scale", scale_min=1, scale_max=3)
    scale_answers = []
    for value in (1, 2):
        url = f"/api/rooms/{stage.rooms[0]}/questions/{scale['id']}/answers"
        response = await author.http.post(url, json={"client_id": f"s{value}", "scale_value": value})
        scale_answers.append(response.json()["id"])

    async def merge(*ids: str, by: httpx.AsyncClient = moderator.http) -> httpx.Response:
        return await by.post(f"/api/rooms/{stage.rooms[0]}/answers/merge", json={"answer_ids": list(ids)})

    for refused in (
        [a["id"]],
        [a["id"], a["id"]],
        [a["id"], in_room_1["id"]],
        [a["id"], str(uuid.uuid4())],
        [a["id"], on_other["id"]],
        scale_answers,
    ):
        response = await merge(*refused)
        assert response.status_code == 422, refused
        assert response.json()["message"].startswith("answer_ids"), response.json()["message"]
    assert (await merge(a["id"], b["id"], by=author.http)).status_code == 403
    assert (await merge(a["id"], b["id"])).status_code == 201
    already = await merge(b["id"], c["id"])
    assert already.status_code == 409
    assert already.json()["code"] == "already_merged"
    assert len(await stage.events("answer.merged")) == 1
