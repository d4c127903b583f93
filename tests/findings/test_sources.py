from __future__ import annotations

import uuid

import pytest

from app.realtime.eventlog import room_stream
from tests.findings.flow import drafted
from tests.findings.scene import Scene


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"answer_ids": ["answer_b"]}, "answer_ids"),
        ({"answer_ids": ["answer_a", "unknown"]}, "answer_ids"),
        ({"question_id": "question", "answer_ids": ["answer_a2"]}, "answer_ids"),
        ({"question_id": "unknown"}, "question_id"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"answer_ids": ["not-a-uuid"]}, "answer_ids"),
    ],
    ids=[
        "answer-of-room-b",
        "unknown-answer",
        "answer-to-another-question",
        "unknown-question",
        "blank",
        "too-long",
        "bad-id",
    ],
)
async def test_a_draft_with_bad_sources_or_text_is_refused_and_writes_nothing(
    scene: Scene, body: dict[str, object], complaint: str
) -> None:
    names = {"answer_a": scene.answer_a, "answer_a2": scene.answer_a2, "answer_b": scene.answer_b}
    names |= {"question": scene.question, "unknown": uuid.uuid4()}

    def resolve(value: object) -> object:
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return str(names[value]) if isinstance(value, str) and value in names else value

    payload = {"text": "A finding.", **{key: resolve(value) for key, value in body.items()}}

    response = await scene.moderator_a.http.post(f"/api/rooms/{scene.room_a}/findings", json=payload)

    assert response.status_code == 422, response.text
    assert complaint in response.json()["message"]
    assert (await scene.moderator_a.http.get(f"/api/rooms/{scene.room_a}/findings")).json() == []
    assert await scene.events(room_stream(scene.room_a)) == []


async def test_a_question_not_allocated_to_the_room_is_refused(scene: Scene) -> None:
    response = await scene.moderator_b.http.post(
        f"/api/rooms/{scene.room_b}/findings", json={"text": "A finding.", "question_id": str(scene.question_a2)}
    )
    assert response.status_code == 422
    assert "not allocated" in response.json()["message"]


async def test_editing_sources_to_another_rooms_answer_is_refused(scene: Scene) -> None:
    finding = await drafted(scene, answer_ids=[str(scene.answer_a)])
    url = f"/api/findings/{finding['id']}"

    response = await scene.moderator_a.http.patch(url, json={"answer_ids": [str(scene.answer_b)], "text": "Changed"})

    assert response.status_code == 422
    assert response.json()["details"] == {"answer_ids": [str(scene.answer_b)]}
    unchanged = (await scene.moderator_a.http.get(url)).json()
    assert unchanged["answer_ids"] == [str(scene.answer_a)]
    assert unchanged["text"] == finding["text"]


async def test_sources_are_read_back_with_their_texts_for_staff_only(scene: Scene) -> None:
    cited = [str(scene.answer_a2), str(scene.answer_a), str(scene.answer_a)]
    finding = await drafted(scene, answer_ids=cited)
    assert sorted(finding["answer_ids"]) == sorted({str(scene.answer_a), str(scene.answer_a2)})
    url = f"/api/findings/{finding['id']}"
    assert (await scene.moderator_a.http.post(f"{url}/propose")).status_code == 200

    for staff in (scene.moderator_a.http, scene.organiser):
        detail = (await staff.get(url)).json()
        assert sorted(detail["answer_ids"]) == sorted(cited[:2])
        assert {source["text"] for source in detail["sources"]} == {
            "They are victims, not criminals.",
            "Train prosecutors together.",
        }
    for reader in (scene.participant_a.http, scene.observer.http):
        detail = (await reader.get(url)).json()
        assert sorted(detail["answer_ids"]) == sorted(cited[:2])
        assert detail["sources"] is None
    listed = (await scene.participant_a.http.get(f"/api/rooms/{scene.room_a}/findings")).json()
    assert sorted(listed[0]["answer_ids"]) == sorted(cited[:2])
