from __future__ import annotations

from tests.findings.flow import drafted, proposed
from tests.findings.scene import Scene


async def test_draft_propose_endorse_confirm(scene: Scene) -> None:
    moderator = scene.moderator_a.http
    finding = await drafted(scene, question_id=str(scene.question), answer_ids=[str(scene.answer_a)])
    assert finding["status"] == "draft"
    assert finding["room_id"] == str(scene.room_a)
    assert finding["question_id"] == str(scene.question)
    assert finding["answer_ids"] == [str(scene.answer_a)]
    assert finding["endorsements"] == 0
    url = f"/api/findings/{finding['id']}"

    response = await moderator.post(f"{url}/propose")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "proposed"

    first = await scene.participant_a.http.post(f"{url}/endorse")
    assert first.status_code == 200, first.text
    assert first.json()["endorsements"] == 1
    second = await scene.participant_a2.http.post(f"{url}/endorse")
    assert second.json()["endorsements"] == 2
    again = await scene.participant_a.http.post(f"{url}/endorse")
    assert again.status_code == 409
    assert again.json()["code"] == "already_endorsed"

    confirmed = await moderator.post(f"{url}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["confirmed_at"] is not None
    assert confirmed.json()["endorsements"] == 2
    assert (await scene.participant_a.http.get(url)).json()["endorsements"] == 2


async def test_every_refused_step_of_a_confirmed_finding(scene: Scene) -> None:
    finding = await proposed(scene)
    url = f"/api/findings/{finding['id']}"
    assert (await scene.organiser.post(f"{url}/confirm")).status_code == 200

    refused = {
        "edit": await scene.moderator_a.http.patch(url, json={"text": "Rewritten"}),
        "remove": await scene.moderator_a.http.delete(url),
        "propose": await scene.moderator_a.http.post(f"{url}/propose"),
        "confirm": await scene.moderator_a.http.post(f"{url}/confirm"),
        "endorse": await scene.participant_a.http.post(f"{url}/endorse"),
    }

    assert {step: response.status_code for step, response in refused.items()} == dict.fromkeys(refused, 409)
    assert refused["edit"].json()["code"] == "finding_confirmed"
    assert refused["remove"].json()["code"] == "finding_confirmed"
    assert refused["propose"].json()["code"] == "finding_not_draft"
    assert refused["confirm"].json()["code"] == "finding_confirmed"
    assert refused["endorse"].json()["code"] == "finding_not_proposed"
    after = (await scene.moderator_a.http.get(url)).json()
    assert after["text"] == finding["text"]
    assert after["status"] == "confirmed"


async def test_a_draft_must_be_proposed_before_it_is_confirmed_or_endorsed(scene: Scene) -> None:
    finding = await drafted(scene)
    url = f"/api/findings/{finding['id']}"

    confirm = await scene.moderator_a.http.post(f"{url}/confirm")
    assert confirm.status_code == 409
    assert confirm.json()["code"] == "finding_not_proposed"
    assert "propose" in confirm.json()["message"]
    endorse = await scene.participant_a.http.post(f"{url}/endorse")
    assert endorse.status_code == 409
    assert endorse.json()["code"] == "finding_not_proposed"

    assert (await scene.moderator_a.http.post(f"{url}/propose")).status_code == 200
    twice = await scene.moderator_a.http.post(f"{url}/propose")
    assert twice.status_code == 409
    assert twice.json()["code"] == "finding_not_draft"
    assert (await scene.moderator_a.http.get(url)).json()["status"] == "proposed"


async def test_the_organiser_drafts_proposes_and_confirms_in_any_room(scene: Scene) -> None:
    response = await scene.organiser.post(
        f"/api/rooms/{scene.room_b}/findings",
        json={"text": "Target the organisers.", "answer_ids": [str(scene.answer_b)]},
    )
    assert response.status_code == 201, response.text
    url = f"/api/findings/{response.json()['id']}"
    assert (await scene.organiser.post(f"{url}/propose")).json()["status"] == "proposed"
    assert (await scene.participant_b.http.post(f"{url}/endorse")).status_code == 200
    assert (await scene.organiser.post(f"{url}/confirm")).json()["status"] == "confirmed"


async def test_edit_and_remove_drafts_and_proposed_findings(scene: Scene) -> None:
    moderator = scene.moderator_a.http
    draft = await drafted(scene)
    edited = await moderator.patch(
        f"/api/findings/{draft['id']}", json={"text": "  Reworded.  ", "answer_ids": [str(scene.answer_a2)]}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "Reworded."
    assert edited.json()["answer_ids"] == [str(scene.answer_a2)]

    finding = await proposed(scene)
    url = f"/api/findings/{finding['id']}"
    assert (await scene.participant_a.http.post(f"{url}/endorse")).status_code == 200
    moved = await moderator.patch(url, json={"position": 0})
    assert moved.json()["endorsements"] == 1, "reordering keeps the room's endorsements"
    reworded = await moderator.patch(url, json={"text": "A different point."})
    assert reworded.status_code == 200
    assert reworded.json()["endorsements"] == 0, "endorsements were given to the old wording"
    assert (await scene.participant_a.http.post(f"{url}/endorse")).json()["endorsements"] == 1

    assert (await moderator.delete(f"/api/findings/{draft['id']}")).status_code == 204
    assert (await moderator.delete(url)).status_code == 204
    assert (await moderator.get(url)).status_code == 404
    assert (await moderator.get(f"/api/rooms/{scene.room_a}/findings")).json() == []
    assert (await moderator.delete(url)).status_code == 404


async def test_findings_keep_their_order_and_can_be_moved(scene: Scene) -> None:
    first, second, third = [await drafted(scene, text=text) for text in ("one", "two", "three")]
    assert [first["position"], second["position"], third["position"]] == [0, 1, 2]

    response = await scene.moderator_a.http.patch(f"/api/findings/{third['id']}", json={"position": 0})

    assert response.json()["position"] == 0
    listed = (await scene.moderator_a.http.get(f"/api/rooms/{scene.room_a}/findings")).json()
    assert [item["text"] for item in listed] == ["three", "one", "two"]
    assert [item["position"] for item in listed] == [0, 1, 2]
