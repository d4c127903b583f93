"""A room finished early by its moderator: its live question closes, nothing more is pushed there,
the other rooms go on, and it opens again on the moderator's word or with a new round."""

from __future__ import annotations

from typing import Any

from tests.questions.staging import Stage


def _finished(stage: Stage, room_index: int = 0) -> str:
    return f"/api/rooms/{stage.rooms[room_index]}/finished"


async def test_a_moderator_finishes_their_room_early_and_opens_it_again(stage: Stage) -> None:
    moderator = await stage.moderator(0)
    live = await stage.live_question(0)
    waiting = await stage.question(code="Q2")
    await stage.allocate(waiting["id"], 0, 1)
    before = len(await stage.events("room.updated"))

    finished = await moderator.http.put(_finished(stage), json={"finished": True})

    assert finished.status_code == 200, finished.text
    assert finished.json()["finished_at"] is not None
    closed = await stage.events("question.closed", f"room:{stage.rooms[0]}")
    assert [event.payload["allocation"]["question_id"] for event in closed] == [live["id"]]
    [told] = (await stage.events("room.updated"))[before:]
    assert told.stream == f"meeting:{stage.meeting_id}" and told.payload["room"]["finished_at"] is not None
    refused = await moderator.http.post(f"/api/rooms/{stage.rooms[0]}/questions/{waiting['id']}/push")
    assert refused.status_code == 409 and refused.json()["code"] == "room_finished"
    await stage.push(waiting["id"], 1)  # the other rooms go on
    again = await moderator.http.put(_finished(stage), json={"finished": True})
    assert again.status_code == 200 and len(await stage.events("room.updated")) == before + 1  # nothing new

    reopened = await moderator.http.put(_finished(stage), json={"finished": False})

    assert reopened.status_code == 200 and reopened.json()["finished_at"] is None
    pushed = await moderator.http.post(f"/api/rooms/{stage.rooms[0]}/questions/{waiting['id']}/push")
    assert pushed.status_code == 200, pushed.text


async def test_only_the_rooms_staff_finish_it_and_only_while_the_rooms_are_open(stage: Stage) -> None:
    other_moderator = await stage.moderator(1)
    participant = await stage.participant(0)
    stranger = await stage.stranger()
    anonymous = await stage.client()
    body: dict[str, Any] = {"finished": True}

    outcomes = [
        (await http.put(_finished(stage), json=body)).status_code
        for http in (other_moderator.http, participant.http, stranger, anonymous)
    ]

    assert outcomes == [403, 403, 404, 401]
    for bad in ({}, {"finished": "soon"}, {"finished": None}):
        response = await stage.organiser.put(_finished(stage), json=bad)
        assert response.status_code == 422 and response.json()["code"], bad
    room = (await stage.organiser.get(f"/api/rooms/{stage.rooms[0]}")).json()
    assert room["finished_at"] is None  # nothing refused changed anything
    await stage.to_phase("report_back")
    late = await stage.organiser.put(_finished(stage), json=body)
    assert late.status_code == 409 and late.json()["code"] == "wrong_phase"


async def test_a_new_round_of_breakouts_opens_every_finished_room(stage: Stage) -> None:
    finished = await stage.organiser.put(_finished(stage, 2), json={"finished": True})
    assert finished.status_code == 200, finished.text

    await stage.to_phase("report_back", "breakouts")

    rooms = (await stage.organiser.get(f"/api/meetings/{stage.meeting_id}/rooms")).json()
    assert [room["finished_at"] for room in rooms] == [None, None, None]
