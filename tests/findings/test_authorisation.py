"""Who may do what to a room's findings: its staff write, its participants endorse, others are refused.

A participant of the meeting lacking the role or the room gets 403; a stranger to the meeting gets
404 exactly as for an id that does not exist; no session at all gets 401.
"""

from __future__ import annotations

import uuid

import httpx

from tests.findings.flow import drafted, proposed
from tests.findings.scene import Scene


async def _statuses(http: httpx.AsyncClient, scene: Scene, finding_id: str) -> dict[str, int]:
    url = f"/api/findings/{finding_id}"
    return {
        "list": (await http.get(f"/api/rooms/{scene.room_a}/findings")).status_code,
        "read": (await http.get(url)).status_code,
        "draft": (await http.post(f"/api/rooms/{scene.room_a}/findings", json={"text": "Mine"})).status_code,
        "edit": (await http.patch(url, json={"text": "Changed"})).status_code,
        "propose": (await http.post(f"{url}/propose")).status_code,
        "confirm": (await http.post(f"{url}/confirm")).status_code,
        "remove": (await http.delete(url)).status_code,
        "endorse": (await http.post(f"{url}/endorse")).status_code,
    }


async def test_the_other_rooms_people_are_forbidden(scene: Scene) -> None:
    finding = await proposed(scene)
    expected = dict.fromkeys(("list", "read", "draft", "edit", "propose", "confirm", "remove", "endorse"), 403)

    assert await _statuses(scene.participant_b.http, scene, finding["id"]) == expected
    assert await _statuses(scene.moderator_b.http, scene, finding["id"]) == expected
    after = (await scene.moderator_a.http.get(f"/api/findings/{finding['id']}")).json()
    assert (after["text"], after["status"], after["endorsements"]) == (finding["text"], "proposed", 0)


async def test_participants_and_observers_read_but_only_participants_endorse(scene: Scene) -> None:
    finding = await proposed(scene)
    readers_only = {"list": 200, "read": 200, "draft": 403, "edit": 403, "propose": 403, "confirm": 403}

    participant = await _statuses(scene.participant_a.http, scene, finding["id"])
    observer = await _statuses(scene.observer.http, scene, finding["id"])

    assert participant == {**readers_only, "remove": 403, "endorse": 200}
    assert observer == {**readers_only, "remove": 403, "endorse": 403}
    assert (await scene.observer.http.get(f"/api/findings/{finding['id']}")).json()["endorsements"] == 1


async def test_the_rooms_staff_do_not_endorse_their_own_findings(scene: Scene) -> None:
    finding = await proposed(scene)
    url = f"/api/findings/{finding['id']}/endorse"
    for staff in (scene.moderator_a.http, scene.organiser):
        response = await staff.post(url)
        assert response.status_code == 403
        assert "participants" in response.json()["message"]


async def test_strangers_get_not_found_and_the_anonymous_must_sign_in(scene: Scene) -> None:
    finding = await proposed(scene)

    assert await _statuses(scene.stranger, scene, finding["id"]) == dict.fromkeys(
        ("list", "read", "draft", "edit", "propose", "confirm", "remove", "endorse"), 404
    )
    assert await _statuses(scene.anonymous, scene, finding["id"]) == dict.fromkeys(
        ("list", "read", "draft", "edit", "propose", "confirm", "remove", "endorse"), 401
    )
    unknown = str(uuid.uuid4())
    assert (await scene.organiser.get(f"/api/findings/{unknown}")).status_code == 404
    assert (await scene.organiser.post(f"/api/findings/{unknown}/propose")).status_code == 404
    assert (await scene.organiser.post(f"/api/rooms/{unknown}/findings", json={"text": "x"})).status_code == 404
    assert (await scene.organiser.get(f"/api/rooms/{unknown}/findings")).status_code == 404


async def test_a_participant_never_reaches_a_draft_by_its_id(scene: Scene) -> None:
    finding = await drafted(scene)
    statuses = await _statuses(scene.participant_a.http, scene, finding["id"])
    assert statuses["read"] == 404
    assert statuses["endorse"] == 409
    assert statuses["edit"] == statuses["propose"] == statuses["remove"] == 403
