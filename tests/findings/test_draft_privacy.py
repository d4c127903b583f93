"""A draft belongs to the room's staff: participants and observers never receive its text."""

from __future__ import annotations

import json

from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from tests.findings.flow import drafted
from tests.findings.scene import Scene

SECRET = "Draft wording the room must not see yet"


async def test_participants_and_observers_do_not_read_drafts(scene: Scene) -> None:
    finding = await drafted(scene, text=SECRET)
    url = f"/api/findings/{finding['id']}"
    room_findings = f"/api/rooms/{scene.room_a}/findings"

    for reader in (scene.participant_a.http, scene.observer.http):
        assert (await reader.get(room_findings)).json() == []
        response = await reader.get(url)
        assert response.status_code == 404
        assert SECRET not in response.text
    for staff in (scene.moderator_a.http, scene.organiser):
        assert [item["text"] for item in (await staff.get(room_findings)).json()] == [SECRET]

    assert (await scene.moderator_a.http.post(f"{url}/propose")).status_code == 200
    assert [item["text"] for item in (await scene.participant_a.http.get(room_findings)).json()] == [SECRET]
    assert (await scene.observer.http.get(url)).json()["text"] == SECRET


async def test_draft_events_carry_the_text_for_staff_only(scene: Scene) -> None:
    finding = await drafted(scene, text=SECRET, answer_ids=[str(scene.answer_a)])
    url = f"/api/findings/{finding['id']}"
    edited = await scene.moderator_a.http.patch(url, json={"text": SECRET + " (edited)"})
    assert edited.status_code == 200
    assert (await scene.moderator_a.http.post(f"{url}/propose")).status_code == 200
    removable = await drafted(scene, text=SECRET + " (removed)")
    assert (await scene.moderator_a.http.delete(f"/api/findings/{removable['id']}")).status_code == 204

    events = await scene.events(room_stream(scene.room_a))

    assert [event.type for event in events] == [
        "finding.drafted",
        "finding.edited",
        "finding.proposed",
        "finding.drafted",
        "finding.removed",
    ]
    assert [event.seq for event in events] == [1, 2, 3, 4, 5]
    drafted_event, edited_event, proposed_event, _, removed_event = events
    for event in (drafted_event, edited_event):
        assert event.payload == {"finding_id": finding["id"], "room_id": str(scene.room_a), "finding": None}
        assert event.staff_payload is not None
        assert event.staff_payload["finding"]["text"].startswith(SECRET)
        assert event.staff_payload["finding"]["answer_ids"] == [str(scene.answer_a)]
    assert edited_event.staff_payload is not None
    assert edited_event.staff_payload["finding"]["text"] == SECRET + " (edited)"
    assert proposed_event.payload["finding"]["text"] == SECRET + " (edited)"
    assert proposed_event.payload["finding"]["status"] == "proposed"
    assert proposed_event.staff_payload is None
    assert removed_event.payload == {"finding_id": removable["id"]}
    for event in events:
        if event.type != "finding.proposed":
            assert SECRET not in json.dumps(event.payload)
    for stream in (meeting_stream(scene.meeting_id), staff_stream(scene.meeting_id), room_stream(scene.room_b)):
        assert not [event for event in await scene.events(stream) if event.type.startswith("finding.")]


async def test_visible_steps_are_told_to_everyone_in_the_room(scene: Scene) -> None:
    finding = await drafted(scene)
    url = f"/api/findings/{finding['id']}"
    assert (await scene.moderator_a.http.post(f"{url}/propose")).status_code == 200
    assert (await scene.participant_a.http.post(f"{url}/endorse")).status_code == 200
    assert (await scene.moderator_a.http.post(f"{url}/confirm")).status_code == 200

    events = await scene.events(room_stream(scene.room_a))

    assert [event.type for event in events][1:] == ["finding.proposed", "finding.endorsed", "finding.confirmed"]
    endorsed, confirmed = events[2], events[3]
    assert endorsed.payload["finding"]["endorsements"] == 1
    assert confirmed.payload["finding"]["status"] == "confirmed"
    assert all(event.staff_payload is None for event in events[1:])
