from __future__ import annotations

from typing import Any

from tests.participants.scene import Scene

HEADER = "name,email,organisation,gender,role,room"

# Line numbers count the header as line 1.
WITH_MISTAKES = f"""{HEADER}
Amina Rahman,amina@example.org,Ministry of Home Affairs,F,participant,Room 1
,nobody@example.org,Police HQ,M,participant,Room 1
Bilal Hossain,bilal(at)example.org,Police HQ,M,participant,Room 2
Chandra Das,chandra@example.org,Supreme Court,woman,participant,Room 2
Dipa Roy,,Civil Society Forum,female,chair,Room 1
Emon Ali,,Coast Guard,male,participant,Room 9
Amina R.,AMINA@example.org,Ministry of Home Affairs,F,participant,Room 1
"Farid, Jr.",,"Prosecution Office, Dhaka",m,moderator,room 2
Gita Sen,gita@example.org,UNODC,undisclosed,observer,
Hasan,too,many,fields,here,Room 1,extra
"""

FIXED = f"""{HEADER}
Amina Rahman,amina@example.org,Ministry of Home Affairs,F,participant,Room 1
Nadia Karim,nobody@example.org,Police HQ,F,participant,Room 1
Bilal Hossain,bilal@example.org,Police HQ,M,participant,Room 2
Chandra Das,chandra@example.org,Supreme Court,female,participant,Room 2
Dipa Roy,,Civil Society Forum,female,participant,Room 1
Emon Ali,,Coast Guard,male,participant,Room 2
"Farid, Jr.",,"Prosecution Office, Dhaka",m,moderator,room 2
Gita Sen,gita@example.org,UNODC,undisclosed,observer,Room 1
"""


async def _import(scene: Scene, text: str | bytes, **headers: str) -> Any:
    return await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import",
        content=text.encode() if isinstance(text, str) else text,
        headers={"content-type": "text/csv", **headers},
    )


async def _roster(scene: Scene) -> dict[str, dict[str, Any]]:
    entries = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    return {entry["display_name"]: entry for entry in entries}


async def test_valid_rows_are_imported_and_every_invalid_row_is_reported_by_line(scene: Scene) -> None:
    first, second = await scene.room("Room 1"), await scene.room("Room 2")
    response = await _import(scene, WITH_MISTAKES)
    assert response.status_code == 200, response.text
    report = response.json()
    problems = [(error["line"], error["column"], error["reason"]) for error in report["errors"]]
    assert problems == [
        (3, "name", "name is missing"),
        (4, "email", "email 'bilal(at)example.org' is not a valid address"),
        (5, "gender", "gender 'woman' is not female, male, another, undisclosed, F or M"),
        (6, "role", "role 'chair' is not organiser, moderator, participant or observer"),
        (7, "room", "room 'Room 9' does not exist in this meeting"),
        (8, None, "duplicate of line 2 (same email)"),
        (11, None, "expected 6 fields, found 7"),
    ]
    assert (report["imported"], report["updated"], report["unchanged"], report["rejected"]) == (3, 0, 0, 7)

    roster = await _roster(scene)
    assert set(roster) == {"Amina Rahman", "Farid, Jr.", "Gita Sen"}
    assert (roster["Amina Rahman"]["gender"], roster["Amina Rahman"]["room_id"]) == ("female", first["id"])
    farid = roster["Farid, Jr."]
    assert (farid["organisation"], farid["gender"], farid["role"]) == ("Prosecution Office, Dhaka", "male", "moderator")
    assert (roster["Gita Sen"]["gender"], roster["Gita Sen"]["room_id"]) == ("undisclosed", None)
    # A moderator row with a room makes them that room's moderator (room names match in any case).
    assert (await scene.organiser.get(f"/api/rooms/{second['id']}")).json()["moderator_ids"] == [farid["id"]]
    joined = [e for e in await scene.events(scene.staff_stream()) if e.type == "participant.joined"]
    assert len(joined) == 3


async def test_reimporting_the_fixed_file_updates_rows_without_duplicates(scene: Scene) -> None:
    await scene.room("Room 1")
    second = await scene.room("Room 2")
    await _import(scene, WITH_MISTAKES)
    before = await _roster(scene)

    fixed = (await _import(scene, FIXED)).json()
    # New: Nadia, Bilal, Chandra, Dipa, Emon; changed: Gita (room); the same: Amina, Farid.
    assert (fixed["imported"], fixed["updated"], fixed["unchanged"], fixed["rejected"]) == (5, 1, 2, 0)
    assert fixed["errors"] == []
    roster = await _roster(scene)
    assert len(roster) == 8
    assert roster["Amina Rahman"]["id"] == before["Amina Rahman"]["id"]
    assert roster["Gita Sen"]["room_id"] is not None

    again = (await _import(scene, FIXED)).json()
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 8)
    assert len(await _roster(scene)) == 8

    # Matching is by email, else by name and organisation: a new name with the same email updates.
    renamed = FIXED.replace("Bilal Hossain,bilal@example.org", "Bilal H.,BILAL@example.org")
    renamed_report = (await _import(scene, renamed)).json()
    assert (renamed_report["imported"], renamed_report["updated"]) == (0, 1)
    assert "Bilal H." in await _roster(scene) and "Bilal Hossain" not in await _roster(scene)
    moved = [e.payload for e in await scene.events(scene.room_stream(second["id"])) if e.type == "participant.moved"]
    assert moved == []  # nobody moved into or out of Room 2 by re-importing


async def test_a_multipart_upload_imports_the_same_way(scene: Scene) -> None:
    await scene.room("Room 1")
    await scene.room("Room 2")
    response = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import",
        files={"file": ("roster.csv", FIXED.encode("utf-8-sig"), "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["imported"], response.json()["rejected"]) == (8, 0)
    missing = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import", files={"roster": ("r.csv", b"x", "text/csv")}
    )
    assert missing.status_code == 422


async def test_whole_file_problems_are_refused_with_a_clear_422_and_nothing_imported(scene: Scene) -> None:
    await scene.room("Room 1")
    latin1 = f"{HEADER}\nAmina,,Ministry,F,participant,Room 1\nJosé,,Police,M,participant,Room 1\n".encode("latin-1")
    not_utf8 = await _import(scene, latin1)
    assert not_utf8.status_code == 422
    assert not_utf8.json()["code"] == "not_utf8"
    assert "line 3" in not_utf8.json()["message"] and "UTF-8" in not_utf8.json()["message"]

    no_header = await _import(scene, "Amina,,Ministry,F,participant,Room 1\n")
    assert no_header.status_code == 422 and no_header.json()["code"] == "bad_header"
    missing = await _import(scene, "name,email,organisation,gender,room\n")
    assert missing.status_code == 422 and missing.json()["details"]["missing"] == ["role"]
    semicolons = await _import(scene, "name;email;organisation;gender;role;room\n")
    assert "semicolons" in semicolons.json()["message"]
    assert (await _import(scene, "")).status_code == 422

    rows = "".join(f"Person {n},,Org,M,participant,\n" for n in range(5_001))
    too_many = await _import(scene, f"{HEADER}\n{rows}")
    assert too_many.status_code == 422 and too_many.json()["code"] == "too_many_rows"
    assert await _roster(scene) == {}


async def test_optional_organisation_type_column_and_room_capacity(scene: Scene) -> None:
    await scene.room("Room 1", capacity=1)
    text = (
        "name,email,organisation,organisation_type,gender,role,room\n"
        "Amina,,Ministry,Ministry,F,participant,Room 1\n"
        "Bilal,,UNODC,International Organization,M,participant,Room 1\n"
        "Chandra,,Court,judges,F,participant,\n"
    )
    report = (await _import(scene, text)).json()
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(3, "room"), (4, "organisation_type")]
    assert "full" in report["errors"][0]["reason"]
    roster = await _roster(scene)
    assert roster["Amina"]["organisation_type"] == "ministry"


async def test_only_organisers_import(scene: Scene) -> None:
    participant = await scene.person("Amina")
    url = f"/api/meetings/{scene.meeting_id}/participants/import"
    refused = await participant.http.post(url, content=FIXED.encode(), headers={"content-type": "text/csv"})
    assert refused.status_code == 403
    stranger = await scene.stranger()
    assert (await stranger.post(url, content=FIXED.encode(), headers={"content-type": "text/csv"})).status_code == 404
    assert set(await _roster(scene)) == {"Amina"}
