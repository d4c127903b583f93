from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from tests.findings.scene import Scene


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _started(http: httpx.AsyncClient, scene: Scene, **body: Any) -> dict[str, Any]:
    response = await http.post(f"/api/meetings/{scene.meeting_id}/timers", json={"seconds": 600, **body})
    assert response.status_code == 201, response.text
    timer: dict[str, Any] = response.json()
    return timer


async def test_start_extend_stop_keep_a_server_deadline(scene: Scene) -> None:
    before = datetime.now(UTC)
    timer = await _started(scene.organiser, scene, label="Plenary break")
    after = datetime.now(UTC)
    ends_at = _at(timer["ends_at"])
    assert before + timedelta(seconds=600) <= ends_at <= after + timedelta(seconds=600)
    assert ends_at.utcoffset() == timedelta(0)
    assert (timer["room_id"], timer["label"], timer["stopped_at"]) == (None, "Plenary break", None)
    url = f"/api/timers/{timer['id']}"

    extended = await scene.organiser.post(f"{url}/extend", json={"seconds": 120})
    assert extended.status_code == 200, extended.text
    assert _at(extended.json()["ends_at"]) - ends_at == timedelta(seconds=120)
    stopped = await scene.organiser.post(f"{url}/stop")
    assert stopped.status_code == 200
    assert stopped.json()["stopped_at"] is not None

    for refused in (
        await scene.organiser.post(f"{url}/extend", json={"seconds": 60}),
        await scene.organiser.post(f"{url}/stop"),
    ):
        assert refused.status_code == 409
        assert refused.json()["code"] == "timer_stopped"
    timer_events = await scene.events(meeting_stream(scene.meeting_id), "timer.")
    assert [event.type for event in timer_events] == ["timer.started", "timer.extended", "timer.stopped"]
    assert timer_events[1].payload["timer"]["ends_at"] == extended.json()["ends_at"]


async def test_a_room_timer_is_run_by_its_moderator_and_told_to_its_room(scene: Scene) -> None:
    timer = await _started(scene.moderator_a.http, scene, room_id=str(scene.room_a), seconds=300)
    url = f"/api/timers/{timer['id']}"
    assert (await scene.moderator_b.http.post(f"{url}/extend", json={"seconds": 60})).status_code == 403
    assert (await scene.participant_a.http.post(f"{url}/stop")).status_code == 403
    assert (await scene.stranger.post(f"{url}/stop")).status_code == 404
    assert (await scene.organiser.post(f"{url}/extend", json={"seconds": 60})).status_code == 200
    assert (await scene.moderator_a.http.post(f"{url}/stop")).status_code == 200

    room_events = [event.type for event in await scene.events(room_stream(scene.room_a), "timer.")]
    assert room_events == ["timer.started", "timer.extended", "timer.stopped"]
    for stream in (meeting_stream(scene.meeting_id), staff_stream(scene.meeting_id), room_stream(scene.room_b)):
        assert await scene.events(stream, "timer.") == []


async def test_who_may_start_which_timer(scene: Scene) -> None:
    url = f"/api/meetings/{scene.meeting_id}/timers"
    room_a = {"seconds": 60, "room_id": str(scene.room_a)}
    meeting_wide = {"seconds": 60}
    cases = [
        (scene.moderator_a.http, meeting_wide, 403),
        (scene.moderator_b.http, room_a, 403),
        (scene.participant_a.http, room_a, 403),
        (scene.participant_a.http, meeting_wide, 403),
        (scene.observer.http, room_a, 403),
        (scene.observer.http, meeting_wide, 403),
        (scene.stranger, meeting_wide, 404),
        (scene.anonymous, meeting_wide, 401),
        (scene.organiser, {"seconds": 60, "room_id": str(uuid.uuid4())}, 422),
        (scene.organiser, {"seconds": 0}, 422),
        (scene.organiser, {"seconds": 86_401}, 422),
        (scene.organiser, {"seconds": 60, "label": "x" * 121}, 422),
    ]
    for http, body, expected in cases:
        response = await http.post(url, json=body)
        assert response.status_code == expected, (body, response.text)
    assert (await scene.organiser.get(url)).json() == []
    assert await scene.events(meeting_stream(scene.meeting_id), "timer.") == []


async def test_an_extension_may_not_run_past_a_day(scene: Scene) -> None:
    timer = await _started(scene.organiser, scene, seconds=86_000)
    response = await scene.organiser.post(f"/api/timers/{timer['id']}/extend", json={"seconds": 1000})
    assert response.status_code == 422
    unknown = await scene.organiser.post(f"/api/timers/{uuid.uuid4()}/extend", json={"seconds": 10})
    assert unknown.status_code == 404


async def test_each_caller_sees_the_running_timers_of_the_meeting_and_their_rooms(scene: Scene) -> None:
    meeting_timer = await _started(scene.organiser, scene)
    room_a_timer = await _started(scene.moderator_a.http, scene, room_id=str(scene.room_a))
    room_b_timer = await _started(scene.moderator_b.http, scene, room_id=str(scene.room_b))
    stopped = await _started(scene.organiser, scene)
    assert (await scene.organiser.post(f"/api/timers/{stopped['id']}/stop")).status_code == 200
    url = f"/api/meetings/{scene.meeting_id}/timers"

    async def visible(http: httpx.AsyncClient) -> set[str]:
        response = await http.get(url)
        assert response.status_code == 200, response.text
        return {timer["id"] for timer in response.json()}

    everything = {meeting_timer["id"], room_a_timer["id"], room_b_timer["id"]}
    assert await visible(scene.organiser) == everything
    assert await visible(scene.observer.http) == everything
    assert await visible(scene.participant_a.http) == {meeting_timer["id"], room_a_timer["id"]}
    assert await visible(scene.moderator_b.http) == {meeting_timer["id"], room_b_timer["id"]}
    assert (await scene.stranger.get(url)).status_code == 404
