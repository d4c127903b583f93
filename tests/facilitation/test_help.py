from __future__ import annotations

import uuid

from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from tests.findings.scene import Scene


async def test_a_room_calls_for_help_on_the_staff_stream_only(scene: Scene) -> None:
    response = await scene.participant_a.http.post(f"/api/rooms/{scene.room_a}/help", json={"message": "No audio"})
    assert response.status_code == 201, response.text
    help_request = response.json()
    assert (help_request["room_id"], help_request["message"]) == (str(scene.room_a), "No audio")
    assert help_request["requested_by"] == "Participant A"
    assert help_request["resolved_at"] is None

    again = await scene.moderator_a.http.post(f"/api/rooms/{scene.room_a}/help", json={"message": "Still none"})
    assert again.status_code == 409
    assert again.json()["code"] == "help_already_requested"
    assert again.json()["details"] == {"help_id": help_request["id"]}

    resolved = await scene.organiser.post(f"/api/help/{help_request['id']}/resolve")
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] is not None
    twice = await scene.organiser.post(f"/api/help/{help_request['id']}/resolve")
    assert twice.status_code == 409
    assert twice.json()["code"] == "help_resolved"
    moderator_call = await scene.moderator_a.http.post(f"/api/rooms/{scene.room_a}/help", json={})
    assert moderator_call.status_code == 201
    assert moderator_call.json()["requested_by"] == "Moderator A"

    staff_events = await scene.events(staff_stream(scene.meeting_id), "help.")
    help_events = [(event.type, event.payload["help"]["id"]) for event in staff_events]
    assert help_events == [
        ("help.requested", help_request["id"]),
        ("help.resolved", help_request["id"]),
        ("help.requested", moderator_call.json()["id"]),
    ]
    for stream in (meeting_stream(scene.meeting_id), room_stream(scene.room_a), room_stream(scene.room_b)):
        assert await scene.events(stream, "help.") == []


async def test_who_may_call_and_resolve(scene: Scene) -> None:
    url = f"/api/rooms/{scene.room_a}/help"
    cases = [
        (scene.participant_b.http, 403),
        (scene.moderator_b.http, 403),
        (scene.observer.http, 403),
        (scene.organiser, 403),
        (scene.stranger, 404),
        (scene.anonymous, 401),
    ]
    for http, expected in cases:
        assert (await http.post(url, json={"message": "help"})).status_code == expected
    assert (await scene.organiser.post(f"/api/rooms/{uuid.uuid4()}/help", json={})).status_code == 404
    assert (await scene.participant_a.http.post(url, json={"message": "x" * 501})).status_code == 422
    assert await scene.events(staff_stream(scene.meeting_id), "help.") == []

    help_id = (await scene.participant_a.http.post(url, json={})).json()["id"]
    resolve = f"/api/help/{help_id}/resolve"
    assert (await scene.moderator_a.http.post(resolve)).status_code == 403
    assert (await scene.participant_a.http.post(resolve)).status_code == 403
    assert (await scene.stranger.post(resolve)).status_code == 404
    assert (await scene.organiser.post(f"/api/help/{uuid.uuid4()}/resolve")).status_code == 404
    assert (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/help?open=true")).json()[0]["id"] == help_id


async def test_organisers_see_every_room_and_moderators_their_own(scene: Scene) -> None:
    room_a = (await scene.participant_a.http.post(f"/api/rooms/{scene.room_a}/help", json={"message": "A"})).json()
    room_b = (await scene.participant_b.http.post(f"/api/rooms/{scene.room_b}/help", json={"message": "B"})).json()
    assert (await scene.organiser.post(f"/api/help/{room_a['id']}/resolve")).status_code == 200
    url = f"/api/meetings/{scene.meeting_id}/help"

    def ids(response_json: list[dict[str, str]]) -> list[str]:
        return [item["id"] for item in response_json]

    assert ids((await scene.organiser.get(url)).json()) == [room_a["id"], room_b["id"]]
    assert ids((await scene.organiser.get(url, params={"open": "true"})).json()) == [room_b["id"]]
    assert ids((await scene.organiser.get(url, params={"open": "false"})).json()) == [room_a["id"]]
    assert ids((await scene.moderator_a.http.get(url)).json()) == [room_a["id"]]
    assert ids((await scene.moderator_b.http.get(url, params={"open": "true"})).json()) == [room_b["id"]]
    assert (await scene.participant_a.http.get(url)).status_code == 403
    assert (await scene.observer.http.get(url)).status_code == 403
    assert (await scene.stranger.get(url)).status_code == 404
