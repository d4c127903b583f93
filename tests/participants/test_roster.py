from __future__ import annotations

from tests.participants.scene import Scene

PERSONAL = {"email", "gender", "organisation_type", "pseudonym"}


async def test_organisers_see_everything_moderators_their_rooms_participants_nothing(scene: Scene) -> None:
    first, second, third = await scene.room("Room 1"), await scene.room("Room 2"), await scene.room("Room 3")
    moderator = await scene.person("Maya", role="moderator", room_id=first["id"], email="maya@example.org")
    await scene.organiser.put(f"/api/rooms/{second['id']}/moderators", json={"participant_ids": [moderator.id]})
    amina = await scene.entry(
        "Amina Rahman",
        email="Amina@Example.org",
        organisation="Ministry of Home Affairs",
        organisation_type="ministry",
        gender="female",
        room_id=first["id"],
    )
    bilal = await scene.entry("Bilal", gender="male", room_id=second["id"], organisation="Police HQ")
    await scene.entry("Chandra", gender="female", room_id=third["id"])
    participant = await scene.sign_in(amina)
    observer = await scene.person("Olga", role="observer")
    url = f"/api/meetings/{scene.meeting_id}/participants"

    full = (await scene.organiser.get(url)).json()
    by_name = {entry["display_name"]: entry for entry in full}
    assert set(by_name) == {"Maya", "Amina Rahman", "Bilal", "Chandra", "Olga"}
    assert by_name["Amina Rahman"]["email"] == "amina@example.org"
    assert by_name["Amina Rahman"]["gender"] == "female"
    assert by_name["Amina Rahman"]["organisation_type"] == "ministry"

    staff_view = await moderator.http.get(url)
    assert staff_view.status_code == 200, staff_view.text
    assert {entry["display_name"] for entry in staff_view.json()} == {"Maya", "Amina Rahman", "Bilal"}
    for entry in staff_view.json():
        # How the entry joined is no personal data; email, gender and the rest stay out.
        assert set(entry) == {"id", "display_name", "organisation", "role", "room_id", "joined_by"}
    assert {e["display_name"]: e["organisation"] for e in staff_view.json()}["Bilal"] == "Police HQ"

    assert (await participant.http.get(url)).status_code == 403
    assert (await observer.http.get(url)).status_code == 403
    assert (await (await scene.stranger()).get(url)).status_code == 404
    assert (await (await scene.client()).get(url)).status_code == 401
    assert bilal["id"] in {entry["id"] for entry in staff_view.json()}


async def test_a_participant_sees_their_own_personal_data_and_nobody_elses(scene: Scene) -> None:
    room = await scene.room("Room 1")
    amina = await scene.person("Amina", email="amina@example.org", gender="female", room_id=room["id"])
    bilal = await scene.entry("Bilal", email="bilal@example.org", gender="male", room_id=room["id"])

    me = await amina.http.get(f"/api/meetings/{scene.meeting_id}/participants/me")
    assert me.status_code == 200, me.text
    assert (me.json()["email"], me.json()["gender"], me.json()["room_id"]) == (
        "amina@example.org",
        "female",
        room["id"],
    )
    assert (await amina.http.get(f"/api/participants/{amina.id}")).json()["email"] == "amina@example.org"
    assert (await amina.http.get(f"/api/participants/{bilal['id']}")).status_code == 403

    # Nothing a participant can read carries another person's email or gender.
    readable = [
        await amina.http.get(f"/api/meetings/{scene.meeting_id}"),
        await amina.http.get(f"/api/meetings/{scene.meeting_id}/rooms"),
        await amina.http.get(f"/api/rooms/{room['id']}"),
        await amina.http.get(f"/api/meetings/{scene.meeting_id}/participants"),
    ]
    for response in readable:
        assert "bilal@example.org" not in response.text
        assert '"male"' not in response.text
    # Nor do the events of the streams a participant follows.
    for stream in (scene.meeting_stream(), scene.room_stream(room["id"])):
        for event in await scene.events(stream):
            assert "bilal@example.org" not in str(event.payload)
            assert "gender" not in str(event.payload)
    for event in await scene.events(scene.staff_stream()):
        assert "email" not in str(event.payload) and "gender" not in str(event.payload)

    organiser_me = await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants/me")
    assert organiser_me.status_code == 404


async def test_adding_and_changing_entries(scene: Scene) -> None:
    room = await scene.room("Room 1", capacity=1)
    url = f"/api/meetings/{scene.meeting_id}/participants"
    amina = await scene.entry("Amina", email="amina@example.org", room_id=room["id"])
    assert amina["role"] == "participant" and amina["pseudonym"].startswith("Participant ")

    same_email = await scene.organiser.post(url, json={"display_name": "Other", "email": "AMINA@example.org"})
    assert same_email.status_code == 409
    assert same_email.json()["code"] == "participant_exists"
    assert (await scene.organiser.post(url, json={"display_name": "X", "email": "not-an-address"})).status_code == 422
    assert (await scene.organiser.post(url, json={"display_name": "X", "gender": "unknown"})).status_code == 422
    assert (await scene.organiser.post(url, json={"display_name": "X", "role": "king"})).status_code == 422
    full = await scene.organiser.post(url, json={"display_name": "Bilal", "room_id": room["id"]})
    assert full.status_code == 409 and full.json()["code"] == "room_full"
    stranger = await scene.stranger()
    their_meeting = (await stranger.get("/api/meetings")).json()[0]["id"]
    their_room = (await stranger.post(f"/api/meetings/{their_meeting}/rooms", json={"name": "Theirs"})).json()
    foreign = await scene.organiser.post(url, json={"display_name": "Bilal", "room_id": their_room["id"]})
    assert foreign.status_code == 422

    moderator = await scene.entry("Maya", role="moderator", room_id=room["id"])
    assert (await scene.organiser.get(f"/api/rooms/{room['id']}")).json()["moderator_ids"] == [moderator["id"]]
    demoted = await scene.organiser.patch(f"/api/participants/{moderator['id']}", json={"role": "observer"})
    assert demoted.status_code == 200 and demoted.json()["role"] == "observer"
    assert (await scene.organiser.get(f"/api/rooms/{room['id']}")).json()["moderator_ids"] == []
    # An observer in a full room needs a seat to become a participant.
    promoted = await scene.organiser.patch(f"/api/participants/{moderator['id']}", json={"role": "participant"})
    assert promoted.status_code == 409

    changed = await scene.organiser.patch(
        f"/api/participants/{amina['id']}", json={"email": None, "gender": "another", "organisation": "UNODC"}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["email"], changed.json()["gender"], changed.json()["organisation"]) == (
        None,
        "another",
        "UNODC",
    )
    assert (await stranger.patch(f"/api/participants/{amina['id']}", json={"display_name": "Mine"})).status_code == 404

    staff = [
        (e.type, e.payload["participant"]["display_name"])
        for e in await scene.events(scene.staff_stream())
        if "participant" in e.payload
    ]
    assert ("participant.joined", "Amina") in staff
    assert staff[-1] == ("participant.updated", "Amina")
