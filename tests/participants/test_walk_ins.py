"""People who join with the meeting's code or an open link: the roster entry that the roster's
email identifies, when nobody has signed in as it yet; a walk-in entry of their own otherwise."""

from __future__ import annotations

from typing import Any

import httpx

from tests.participants.scene import Scene


async def _join_code(scene: Scene) -> str:
    meeting = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}")).json()
    return str(meeting["join_code"])


async def _join_with_code(scene: Scene, **fields: Any) -> tuple[httpx.AsyncClient, httpx.Response]:
    phone = await scene.client()
    response = await phone.post("/api/join", json={"code": await _join_code(scene), **fields})
    return phone, response


async def _roster(scene: Scene) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    return entries


async def test_a_roster_person_joining_with_the_code_and_their_email_is_their_roster_entry(scene: Scene) -> None:
    room = await scene.room("Room 2")
    faisal = await scene.entry("Faisal Khan", email="faisal.khan@police.example", room_id=room["id"])

    phone, joined = await _join_with_code(scene, display_name="Faisal", email="Faisal.Khan@Police.example")

    assert joined.status_code == 200, joined.text
    assert joined.json()["participant_id"] == faisal["id"]
    assert joined.json()["room_id"] == room["id"]
    assert [entry["display_name"] for entry in await _roster(scene)] == ["Faisal Khan"]
    me = (await phone.get(f"/api/meetings/{scene.meeting_id}/participants/me")).json()
    assert me["id"] == faisal["id"] and me["display_name"] == "Faisal Khan"


async def test_an_open_join_link_resolves_to_the_roster_entry_as_the_code_does(scene: Scene) -> None:
    room = await scene.room("Room 4")
    nasrin = await scene.entry("Nasrin Akter", email="nasrin@ngo.example")
    invite = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/invites", json={"role": "participant", "room_id": room["id"]}
    )
    token = invite.json()["url"].rsplit("/", 1)[1]
    phone = await scene.client()

    joined = await phone.post(
        f"/api/invites/{token}/open", json={"display_name": "N. Akter", "email": "nasrin@ngo.example"}
    )

    assert joined.status_code == 200, joined.text
    assert joined.json()["participant_id"] == nasrin["id"]
    # She had no room: the link's room seats her, and staff hear of the move.
    assert joined.json()["room_id"] == room["id"]
    assert len(await _roster(scene)) == 1
    assert "participant.moved" in await scene.event_types(scene.staff_stream())


async def test_typing_a_roster_name_never_takes_over_the_entry(scene: Scene) -> None:
    faisal = await scene.entry("Faisal Khan", email="faisal.khan@police.example", organisation="Police")

    _, joined = await _join_with_code(scene, display_name="Faisal Khan", organisation="Police")

    assert joined.status_code == 200, joined.text
    assert joined.json()["participant_id"] != faisal["id"]
    roster = await _roster(scene)
    assert sorted(entry["display_name"] for entry in roster) == ["Faisal Khan", "Faisal Khan"]
    walk_in = next(entry for entry in roster if entry["id"] != faisal["id"])
    assert walk_in["email"] is None and walk_in["room_id"] is None


async def test_an_entry_someone_signed_in_as_is_not_taken_again_with_its_email(scene: Scene) -> None:
    faisal = await scene.entry("Faisal Khan", email="faisal.khan@police.example")
    await scene.sign_in(faisal)  # the real Faisal, with his personal link

    _, joined = await _join_with_code(scene, display_name="Faisal Khan", email="faisal.khan@police.example")

    assert joined.status_code == 200, joined.text
    assert joined.json()["participant_id"] != faisal["id"]
    walk_in = next(entry for entry in await _roster(scene) if entry["id"] != faisal["id"])
    assert walk_in["email"] is None  # the address stays the roster entry's alone


async def test_a_code_never_joins_as_a_moderator_or_observer_entry(scene: Scene) -> None:
    room = await scene.room("Room 1")
    moderator = await scene.entry("Maya Moderator", email="maya@unodc.example", role="moderator", room_id=room["id"])
    observer = await scene.entry("Olga Observer", email="olga@donor.example", role="observer")

    for entry, email in ((moderator, "maya@unodc.example"), (observer, "olga@donor.example")):
        _, joined = await _join_with_code(scene, display_name=entry["display_name"], email=email)
        assert joined.status_code == 200, joined.text
        assert joined.json()["participant_id"] != entry["id"]
        assert joined.json()["role"] == "participant"


async def test_an_address_the_roster_does_not_know_is_kept_on_the_walk_in(scene: Scene) -> None:
    _, joined = await _join_with_code(scene, display_name="Rahim Uddin", email="Rahim@Example.org")

    assert joined.status_code == 200, joined.text
    [walk_in] = await _roster(scene)
    assert walk_in["email"] == "rahim@example.org"
    # A roster import that lists him later updates this entry instead of adding a second one.
    imported = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import",
        content=b"name,email,organisation,gender,role,room\nRahim Uddin,rahim@example.org,Police,male,participant,\n",
        headers={"content-type": "text/csv"},
    )
    assert imported.json()["imported"] == 0 and imported.json()["updated"] == 1, imported.text
    assert len(await _roster(scene)) == 1


async def test_a_malformed_address_is_refused_and_nobody_is_added(scene: Scene) -> None:
    _, joined = await _join_with_code(scene, display_name="Rahim Uddin", email="not an address")

    assert joined.status_code == 422
    assert set(joined.json()) == {"code", "message", "details"}
    assert await _roster(scene) == []


async def test_the_organisers_see_who_walked_in_by_code_or_open_link_until_the_roster_lists_them(scene: Scene) -> None:
    listed = await scene.entry("Faisal Khan", email="faisal.khan@police.example")
    _, by_code = await _join_with_code(scene, display_name="Rahim Uddin", email="rahim@example.org")
    invite = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/invites", json={"role": "participant"})
    phone = await scene.client()
    by_link = await phone.post(
        f"/api/invites/{invite.json()['url'].rsplit('/', 1)[1]}/open", json={"display_name": "Nasrin"}
    )
    assert by_code.status_code == 200 and by_link.status_code == 200, (by_code.text, by_link.text)

    joined_by = {entry["id"]: entry["joined_by"] for entry in await _roster(scene)}
    assert joined_by == {
        listed["id"]: "roster",
        by_code.json()["participant_id"]: "code",
        by_link.json()["participant_id"]: "open_link",
    }
    # Staff hear it on the live roster too, where the console's "who joined" list comes from.
    joins = [event.payload for event in await scene.events(scene.staff_stream()) if event.type == "participant.joined"]
    assert sorted(event["participant"]["joined_by"] for event in joins) == ["code", "open_link", "roster"]

    imported = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import",
        content=b"name,email,organisation,gender,role,room\nRahim Uddin,rahim@example.org,Police,male,participant,\n",
        headers={"content-type": "text/csv"},
    )
    assert imported.json()["updated"] == 1, imported.text
    joined_by = {entry["id"]: entry["joined_by"] for entry in await _roster(scene)}
    assert joined_by[by_code.json()["participant_id"]] == "roster"  # the file lists him now
    assert joined_by[by_link.json()["participant_id"]] == "open_link"
