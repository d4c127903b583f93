from __future__ import annotations

import uuid

from sqlalchemy import select

from app.answers.models import Answer
from app.participants.models import Erasure
from tests.participants.scene import Scene


async def test_erasure_blanks_personal_data_keeps_answers_and_ends_the_sessions(scene: Scene) -> None:
    room = await scene.room("Room 1")
    amina = await scene.person(
        "Amina Rahman",
        email="amina@example.org",
        gender="female",
        organisation="Ministry of Home Affairs",
        organisation_type="ministry",
        room_id=room["id"],
    )
    answer_id = await scene.answer(room["id"], amina.id, text="Ratify the protocol this year")
    assert (await amina.http.get(f"/api/meetings/{scene.meeting_id}")).status_code == 200

    erased = await scene.organiser.post(f"/api/participants/{amina.id}/erase", json={"reason": "Asked by email"})
    assert erased.status_code == 200, erased.text
    entry = erased.json()
    assert entry["display_name"] == entry["pseudonym"]
    assert (entry["email"], entry["gender"], entry["organisation"], entry["organisation_type"]) == (
        None,
        None,
        "",
        None,
    )
    assert entry["erased_at"] is not None

    # Their sessions are revoked: the same cookie now reaches nothing.
    assert (await amina.http.get(f"/api/meetings/{scene.meeting_id}")).status_code == 401
    assert (await amina.http.get(f"/api/meetings/{scene.meeting_id}/participants/me")).status_code == 401
    assert (await amina.http.get("/api/auth/me")).status_code == 401

    account_id = (await scene.organiser.get("/api/auth/me")).json()["account"]["account_id"]
    async with scene.state.database.reading() as session:
        answer = await session.get(Answer, uuid.UUID(answer_id))
        assert answer is not None and str(answer.author_id) == amina.id
        assert answer.text == "Ratify the protocol this year"
        erasures = list(await session.scalars(select(Erasure)))
    assert [(str(e.participant_id), str(e.erased_by), e.reason) for e in erasures] == [
        (amina.id, account_id, "Asked by email")
    ]

    events = [e for e in await scene.events(scene.staff_stream()) if e.type == "participant.erased"]
    assert [e.payload for e in events] == [{"participant_id": amina.id, "pseudonym": entry["pseudonym"]}]
    again = await scene.organiser.post(f"/api/participants/{amina.id}/erase", json={})
    assert again.status_code == 409 and again.json()["code"] == "already_erased"
    assert (await scene.organiser.patch(f"/api/participants/{amina.id}", json={"email": "a@b.org"})).status_code == 409
    roster = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    assert "amina@example.org" not in str(roster) and "Amina" not in str(roster)


async def test_an_erased_moderator_stops_moderating_and_only_organisers_erase(scene: Scene) -> None:
    room = await scene.room("Room 1")
    moderator = await scene.person("Maya", role="moderator", room_id=room["id"])
    participant = await scene.person("Bilal", room_id=room["id"])
    assert (await participant.http.post(f"/api/participants/{moderator.id}/erase", json={})).status_code == 403
    assert (await moderator.http.post(f"/api/participants/{participant.id}/erase", json={})).status_code == 403
    assert (await (await scene.stranger()).post(f"/api/participants/{moderator.id}/erase", json={})).status_code == 404
    assert (
        await scene.organiser.post(f"/api/participants/{moderator.id}/erase", json={"reason": "x" * 501})
    ).status_code == 422

    assert (await scene.organiser.post(f"/api/participants/{moderator.id}/erase", json={})).status_code == 200
    assert (await scene.organiser.get(f"/api/rooms/{room['id']}")).json()["moderator_ids"] == []
    assert (await moderator.http.get(f"/api/meetings/{scene.meeting_id}/participants")).status_code == 401


async def test_a_reimport_after_erasure_does_not_bring_the_data_back_onto_the_erased_entry(scene: Scene) -> None:
    url = f"/api/meetings/{scene.meeting_id}/participants/import"
    csv = "name,email,organisation,gender,role,room\nAmina,amina@example.org,Ministry,F,participant,\n"
    await scene.organiser.post(url, content=csv.encode(), headers={"content-type": "text/csv"})
    entry = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()[0]
    await scene.organiser.post(f"/api/participants/{entry['id']}/erase", json={})

    report = (await scene.organiser.post(url, content=csv.encode(), headers={"content-type": "text/csv"})).json()
    assert report["imported"] == 1
    erased = (await scene.organiser.get(f"/api/participants/{entry['id']}")).json()
    assert (erased["email"], erased["display_name"]) == (None, erased["pseudonym"])
