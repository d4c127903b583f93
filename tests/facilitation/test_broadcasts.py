from __future__ import annotations

from app.realtime.eventlog import meeting_stream
from tests.findings.scene import Scene


async def test_the_organiser_broadcasts_to_the_whole_meeting(scene: Scene) -> None:
    url = f"/api/meetings/{scene.meeting_id}/broadcasts"
    response = await scene.organiser.post(url, json={"message": "  Five minutes left in the rooms.  "})
    assert response.status_code == 201, response.text
    broadcast = response.json()
    assert broadcast["message"] == "Five minutes left in the rooms."

    events = await scene.events(meeting_stream(scene.meeting_id), "broadcast.")
    assert [(event.type, event.payload) for event in events] == [("broadcast.sent", {"broadcast": broadcast})]
    for reader in (scene.participant_b.http, scene.observer.http, scene.moderator_a.http):
        assert (await reader.get(url)).json() == [broadcast]
    assert (await scene.stranger.get(url)).status_code == 404


async def test_only_organisers_broadcast_and_messages_are_bounded(scene: Scene) -> None:
    url = f"/api/meetings/{scene.meeting_id}/broadcasts"
    cases = [
        (scene.moderator_a.http, {"message": "Hello"}, 403),
        (scene.participant_a.http, {"message": "Hello"}, 403),
        (scene.observer.http, {"message": "Hello"}, 403),
        (scene.stranger, {"message": "Hello"}, 404),
        (scene.anonymous, {"message": "Hello"}, 401),
        (scene.organiser, {"message": ""}, 422),
        (scene.organiser, {"message": "   "}, 422),
        (scene.organiser, {"message": "x" * 501}, 422),
        (scene.organiser, {}, 422),
    ]
    for http, body, expected in cases:
        assert (await http.post(url, json=body)).status_code == expected, body
    assert (await scene.organiser.post(url, json={"message": "x" * 500})).status_code == 201
    assert len((await scene.organiser.get(url)).json()) == 1
    assert len(await scene.events(meeting_stream(scene.meeting_id), "broadcast.")) == 1
