"""Raised hands: a participant asks their room's moderator for help; only the room's staff see who."""

from __future__ import annotations

import uuid

import httpx

from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from tests.findings.scene import Scene


async def _to_breakouts(scene: Scene) -> None:
    for phase in ("lobby", "plenary", "breakouts"):
        response = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/phase", json={"phase": phase})
        assert response.status_code == 200, response.text


async def _raise(scene: Scene, http: httpx.AsyncClient, room_id: uuid.UUID) -> dict[str, object]:
    response = await http.post(f"/api/rooms/{room_id}/hands")
    assert response.status_code == 201, response.text
    hand: dict[str, object] = response.json()
    return hand


async def test_a_hand_goes_up_is_handled_and_answered_on_its_room_stream_only(scene: Scene) -> None:
    await _to_breakouts(scene)
    hand = await _raise(scene, scene.participant_a.http, scene.room_a)
    assert (hand["name"], hand["status"], hand["room_id"]) == ("Participant A", "raised", str(scene.room_a))
    assert hand["participant_id"] == str(scene.participant_a.id)

    again = await scene.participant_a.http.post(f"/api/rooms/{scene.room_a}/hands")
    assert again.status_code == 409
    assert again.json()["code"] == "hand_already_raised"
    assert again.json()["details"] == {"hand_id": hand["id"]}

    handled = await scene.moderator_a.http.post(f"/api/hands/{hand['id']}/acknowledge")
    assert handled.status_code == 200, handled.text
    assert handled.json()["status"] == "acknowledged" and handled.json()["acknowledged_at"] is not None
    twice = await scene.moderator_a.http.post(f"/api/hands/{hand['id']}/acknowledge")
    assert (twice.status_code, twice.json()["code"]) == (409, "hand_acknowledged")
    answered = await scene.organiser.post(f"/api/hands/{hand['id']}/answer")
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered" and answered.json()["lowered_at"] is not None
    down = await scene.participant_a.http.post(f"/api/hands/{hand['id']}/lower")
    assert (down.status_code, down.json()["code"]) == (409, "hand_down")

    events = await scene.events(room_stream(scene.room_a), "hand.")
    assert [event.type for event in events] == ["hand.raised", "hand.acknowledged", "hand.answered"]
    for event in events:
        # The room's participants learn the hand's id and status, never whose it is.
        assert event.payload == {
            "hand_id": hand["id"],
            "room_id": str(scene.room_a),
            "status": event.type.removeprefix("hand."),
            "hand": None,
        }
        assert event.staff_payload is not None
        assert event.staff_payload["hand"]["name"] == "Participant A"
    for stream in (meeting_stream(scene.meeting_id), staff_stream(scene.meeting_id), room_stream(scene.room_b)):
        assert await scene.events(stream, "hand.") == []


async def test_one_hand_up_per_person_and_lowering_it_again(scene: Scene) -> None:
    await _to_breakouts(scene)
    first = await _raise(scene, scene.participant_a.http, scene.room_a)
    lowered = await scene.participant_a.http.post(f"/api/hands/{first['id']}/lower")
    assert lowered.status_code == 200, lowered.text
    assert lowered.json()["status"] == "lowered"
    second = await _raise(scene, scene.participant_a.http, scene.room_a)
    assert second["id"] != first["id"]
    assert (await scene.participant_a.http.post(f"/api/rooms/{scene.room_a}/hands")).status_code == 409
    # Someone else in the room raises their own.
    assert (await scene.participant_a2.http.post(f"/api/rooms/{scene.room_a}/hands")).status_code == 201


async def test_who_sees_and_handles_which_hand(scene: Scene) -> None:
    await _to_breakouts(scene)
    hand = await _raise(scene, scene.participant_a.http, scene.room_a)
    peer = await _raise(scene, scene.participant_a2.http, scene.room_a)
    url = f"/api/rooms/{scene.room_a}/hands"

    async def names(http: httpx.AsyncClient) -> list[str]:
        response = await http.get(url)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()]

    assert await names(scene.moderator_a.http) == ["Participant A", "Participant A2"]
    assert await names(scene.organiser) == ["Participant A", "Participant A2"]
    assert await names(scene.participant_a.http) == ["Participant A"]
    assert await names(scene.participant_a2.http) == ["Participant A2"]
    for http, expected in (
        (scene.moderator_b.http, 403),
        (scene.participant_b.http, 403),
        (scene.observer.http, 403),
        (scene.stranger, 404),
        (scene.anonymous, 401),
    ):
        assert (await http.get(url)).status_code == expected

    # Another room's moderator, a peer, an observer: none of them handles or lowers the hand.
    for action in ("acknowledge", "answer", "lower"):
        for http, expected in (
            (scene.moderator_b.http, 403),
            (scene.participant_a2.http, 403),
            (scene.participant_b.http, 403),
            (scene.observer.http, 403),
            (scene.stranger, 404),
            (scene.anonymous, 401),
        ):
            response = await http.post(f"/api/hands/{hand['id']}/{action}")
            assert response.status_code == expected, (action, response.text)
            assert set(response.json()) == {"code", "message", "details"}
    # Its owner only lowers it; the room's staff answer it instead.
    for action in ("acknowledge", "answer"):
        assert (await scene.participant_a.http.post(f"/api/hands/{hand['id']}/{action}")).status_code == 403
    assert (await scene.moderator_a.http.post(f"/api/hands/{hand['id']}/lower")).status_code == 403
    assert (await scene.organiser.post(f"/api/hands/{uuid.uuid4()}/answer")).status_code == 404
    assert (await scene.organiser.post("/api/hands/not-an-id/answer")).status_code == 422
    # Not a participant of the room: its moderator, a participant of room B, the organiser.
    for http in (scene.moderator_a.http, scene.participant_b.http, scene.organiser, scene.observer.http):
        assert (await http.post(url)).status_code == 403
    events = await scene.events(room_stream(scene.room_a), "hand.")
    assert [(event.type, event.payload["hand_id"]) for event in events] == [
        ("hand.raised", hand["id"]),
        ("hand.raised", peer["id"]),
    ]


async def test_hands_go_up_only_while_the_rooms_are_open_and_go_down_when_they_close(scene: Scene) -> None:
    refused = await scene.participant_a.http.post(f"/api/rooms/{scene.room_a}/hands")
    assert (refused.status_code, refused.json()["code"]) == (409, "wrong_phase")
    await _to_breakouts(scene)
    hand = await _raise(scene, scene.participant_a.http, scene.room_a)
    closed = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/phase", json={"phase": "report_back"})
    assert closed.status_code == 200, closed.text
    assert (await scene.organiser.get(f"/api/rooms/{scene.room_a}/hands")).json() == []
    events = await scene.events(room_stream(scene.room_a), "hand.")
    assert [(event.type, event.payload["hand_id"]) for event in events] == [
        ("hand.raised", hand["id"]),
        ("hand.lowered", hand["id"]),
    ]


async def test_a_hand_goes_down_when_its_owner_leaves_the_room(scene: Scene) -> None:
    await _to_breakouts(scene)
    hand = await _raise(scene, scene.participant_a.http, scene.room_a)
    moved = await scene.organiser.post(
        f"/api/participants/{scene.participant_a.id}/move", json={"room_id": str(scene.room_b)}
    )
    assert moved.status_code == 200, moved.text
    events = await scene.events(room_stream(scene.room_a))
    # Lowered on the room left before the move that takes the person's screens away from it.
    assert [event.type for event in events][-2:] == ["hand.lowered", "participant.moved"]
    assert events[-2].payload["hand_id"] == hand["id"]
    assert (await scene.organiser.get(f"/api/rooms/{scene.room_a}/hands")).json() == []
    assert (await scene.participant_a.http.get(f"/api/rooms/{scene.room_b}/hands")).json() == []
    # In the new room they raise a hand there.
    assert (await _raise(scene, scene.participant_a.http, scene.room_b))["room_id"] == str(scene.room_b)
