from __future__ import annotations

from typing import Any

import pytest

from tests.questions.staging import Stage

CHOICES = [{"id": "a", "label": "Yes"}, {"id": "b", "label": "No"}]

# Each bad body, and the field its 422 message must name.
BAD_QUESTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("no text", {"text": ""}, "text"),
    ("blank text", {"text": "   "}, "text"),
    ("text too long", {"text": "x" * 1001}, "text"),
    ("unknown kind", {"kind": "essay"}, "kind"),
    ("one option", {"kind": "single_choice", "options": CHOICES[:1]}, "options"),
    ("no options", {"kind": "multiple_choice"}, "options"),
    (
        "21 options",
        {"kind": "multiple_choice", "options": [{"id": f"o{i}", "label": f"Option {i}"} for i in range(21)]},
        "options",
    ),
    ("duplicate option ids", {"kind": "single_choice", "options": [CHOICES[0], CHOICES[0]]}, "options"),
    (
        "option id with spaces",
        {"kind": "single_choice", "options": [{"id": "a b", "label": "x"}, CHOICES[1]]},
        "options",
    ),
    ("empty option label", {"kind": "single_choice", "options": [{"id": "a", "label": ""}, CHOICES[1]]}, "options"),
    ("options on an open question", {"kind": "open", "options": CHOICES}, "options"),
    ("options on a scale", {"kind": "scale", "scale_min": 1, "scale_max": 5, "options": CHOICES}, "options"),
    ("scale without max", {"kind": "scale", "scale_min": 1}, "scale_min"),
    ("scale min above max", {"kind": "scale", "scale_min": 5, "scale_max": 1}, "scale_max"),
    ("scale min equal max", {"kind": "scale", "scale_min": 3, "scale_max": 3}, "scale_max"),
    ("scale span over 10", {"kind": "scale", "scale_min": 0, "scale_max": 11}, "scale_max"),
    ("scale not an integer", {"kind": "scale", "scale_min": 1.5, "scale_max": 5}, "scale_min"),
    (
        "scale label off the scale",
        {"kind": "scale", "scale_min": 1, "scale_max": 5, "scale_labels": {"6": "x"}},
        "scale_labels",
    ),
    (
        "scale label not a number",
        {"kind": "scale", "scale_min": 1, "scale_max": 5, "scale_labels": {"top": "x"}},
        "scale_labels",
    ),
    ("scale on an open question", {"kind": "open", "scale_min": 1, "scale_max": 5}, "scale_min"),
    (
        "scale labels on a choice",
        {"kind": "single_choice", "options": CHOICES, "scale_labels": {"1": "x"}},
        "scale_min",
    ),
    ("unknown anonymity", {"anonymity": "secret"}, "anonymity"),
    ("unknown visibility", {"visibility": "never"}, "visibility"),
    ("negative position", {"position": -1}, "position"),
    ("code too long", {"code": "S" * 21}, "code"),
]


@pytest.mark.parametrize(("case", "fields", "field_named"), BAD_QUESTIONS, ids=[case for case, _, _ in BAD_QUESTIONS])
async def test_a_bad_question_is_refused_with_a_message_naming_the_field(
    stage: Stage, case: str, fields: dict[str, Any], field_named: str
) -> None:
    body = {"text": "What should change first?", "kind": "open", **fields}
    response = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/questions", json=body)

    assert response.status_code == 422, f"{case}: {response.text}"
    assert response.json()["message"].startswith(field_named), response.json()["message"]
    listed = await stage.organiser.get(f"/api/meetings/{stage.meeting_id}/questions")
    assert listed.json() == []


async def test_questions_of_every_kind_are_created_and_listed_by_theme_then_position(stage: Stage) -> None:
    await stage.question(code="D1", theme="Demand", text="Who buys?")
    scale = await stage.question(
        code="C2", theme="Criminalisation", kind="scale", scale_min=1, scale_max=5, scale_labels={"1": "no", "5": "yes"}
    )
    choice = await stage.question(code="C1", theme="Criminalisation", kind="single_choice", options=CHOICES, position=0)
    multiple = await stage.question(code="C3", theme="Criminalisation", kind="multiple_choice", options=CHOICES)

    listed = (await stage.organiser.get(f"/api/meetings/{stage.meeting_id}/questions")).json()

    assert [question["code"] for question in listed] == ["C1", "C2", "C3", "D1"]
    assert scale["anonymity"] == "anonymous_to_peers"  # the meeting's default
    assert scale["visibility"] == "live"
    assert scale["scale_labels"] == {"1": "no", "5": "yes"}
    assert choice["options"] == CHOICES
    # Position is a sort key within the theme (ties go by code): C2 and C1 share 0, C3 comes after.
    assert (scale["position"], choice["position"], multiple["position"]) == (0, 0, 1)


async def test_the_meetings_default_anonymity_applies_unless_the_question_sets_one(draft_stage: Stage) -> None:
    patched = await draft_stage.organiser.patch(
        f"/api/meetings/{draft_stage.meeting_id}", json={"default_anonymity": "fully_anonymous"}
    )
    assert patched.status_code == 200

    assert (await draft_stage.question())["anonymity"] == "fully_anonymous"
    assert (await draft_stage.question(anonymity="named"))["anonymity"] == "named"


async def test_a_question_without_answers_can_change_kind_and_loses_the_fields_of_the_old_kind(stage: Stage) -> None:
    question = await stage.question(kind="single_choice", options=CHOICES)

    changed = await stage.organiser.patch(
        f"/api/questions/{question['id']}", json={"kind": "scale", "scale_min": 0, "scale_max": 10, "text": "How far?"}
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["options"] == []
    assert (changed.json()["scale_min"], changed.json()["scale_max"], changed.json()["text"]) == (0, 10, "How far?")
    bad = await stage.organiser.patch(f"/api/questions/{question['id']}", json={"scale_max": 20})
    assert bad.status_code == 422
    assert bad.json()["message"].startswith("scale_max")


async def test_an_answered_question_keeps_its_kind_options_and_anonymity_promise(stage: Stage) -> None:
    question = await stage.live_question(kind="single_choice", options=CHOICES, anonymity="anonymous_to_peers")
    amina = await stage.participant(0)
    answered = await amina.http.post(
        f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers", json={"client_id": "c1", "choice_ids": ["a"]}
    )
    assert answered.status_code == 201, answered.text
    url = f"/api/questions/{question['id']}"

    for change in (
        {"kind": "multiple_choice"},
        {"options": [*CHOICES, {"id": "c", "label": "Maybe"}]},
        {"options": [{"id": "a", "label": "Yes!"}, CHOICES[1]]},
        {"anonymity": "named"},
    ):
        refused = await stage.organiser.patch(url, json=change)
        assert refused.status_code == 409, change
        assert refused.json()["code"] == "question_answered"

    stronger = await stage.organiser.patch(url, json={"anonymity": "fully_anonymous", "text": "Better wording?"})
    assert stronger.status_code == 200
    same_options = await stage.organiser.patch(url, json={"options": CHOICES})
    assert same_options.status_code == 200
    assert (await stage.organiser.delete(url)).status_code == 409


async def test_deleting_a_question_is_refused_while_live_and_allowed_without_answers(stage: Stage) -> None:
    question = await stage.live_question()
    url = f"/api/questions/{question['id']}"

    live = await stage.organiser.delete(url)
    await stage.close(question["id"])
    deleted = await stage.organiser.delete(url)

    assert live.status_code == 409
    assert live.json()["code"] == "question_live"
    assert deleted.status_code == 204
    assert (await stage.organiser.get(url)).status_code == 404
    rooms = (await stage.organiser.get(f"/api/rooms/{stage.rooms[0]}/questions")).json()
    assert rooms["allocations"] == []


async def test_who_reads_and_writes_the_bank(stage: Stage) -> None:
    in_room_0 = await stage.question(code="R0")
    in_room_1 = await stage.question(code="R1")
    unallocated = await stage.question(code="U")
    await stage.allocate(in_room_0["id"], 0)
    await stage.allocate(in_room_1["id"], 1)
    participant = await stage.participant(0)
    moderator = await stage.moderator(1)
    observer = await stage.person("observer")
    stranger = await stage.stranger()
    bank = f"/api/meetings/{stage.meeting_id}/questions"

    def codes(response: Any) -> list[str]:
        assert response.status_code == 200, response.text
        return [question["code"] for question in response.json()]

    assert codes(await stage.organiser.get(bank)) == ["R0", "R1", "U"]
    assert codes(await moderator.http.get(bank)) == ["R0", "R1", "U"]
    assert codes(await observer.http.get(bank)) == ["R0", "R1"]
    assert codes(await participant.http.get(bank)) == ["R0"]
    assert (await participant.http.get(f"/api/questions/{in_room_0['id']}")).status_code == 200
    assert (await participant.http.get(f"/api/questions/{in_room_1['id']}")).status_code == 403
    assert (await participant.http.get(f"/api/questions/{unallocated['id']}")).status_code == 403
    assert (await stranger.get(bank)).status_code == 404
    assert (await stranger.get(f"/api/questions/{in_room_0['id']}")).status_code == 404
    for writer in (participant.http, moderator.http):
        assert (await writer.post(bank, json={"text": "Mine?"})).status_code == 403
        assert (await writer.patch(f"/api/questions/{in_room_0['id']}", json={"text": "x"})).status_code == 403
        assert (await writer.delete(f"/api/questions/{unallocated['id']}")).status_code == 403
    assert (await stranger.patch(f"/api/questions/{in_room_0['id']}", json={"text": "x"})).status_code == 404


async def test_editing_an_allocated_question_tells_its_rooms(stage: Stage) -> None:
    question = await stage.question(text="Old wording")
    await stage.allocate(question["id"], 0, 1)
    before = len(await stage.events("question.allocated"))

    await stage.organiser.patch(f"/api/questions/{question['id']}", json={"text": "New wording"})

    events = (await stage.events("question.allocated"))[before:]
    assert sorted(event.stream for event in events) == sorted(f"room:{room}" for room in stage.rooms[:2])
    assert all(event.payload["questions"][0]["text"] == "New wording" for event in events)
