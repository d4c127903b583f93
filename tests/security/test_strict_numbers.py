"""Finding: integer fields took JSON booleans (``scale_value: true`` stored as 1, ``position:
false`` as 0). Every input schema now refuses a boolean where a whole number is expected."""

from __future__ import annotations

from tests.questions.staging import Stage
from tests.security.test_nul_and_server_errors import assert_error_shape


async def test_booleans_are_not_whole_numbers(stage: Stage) -> None:
    question = await stage.live_question(kind="scale", scale_min=1, scale_max=5)
    participant = await stage.participant()
    answers = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"
    refused = [
        await participant.http.post(answers, json={"client_id": "c-1", "scale_value": True}),
        await stage.organiser.post(
            f"/api/meetings/{stage.meeting_id}/rooms", json={"name": "Extra", "position": False}
        ),
        await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/rooms", json={"name": "Extra", "capacity": True}),
    ]
    for response in refused:
        assert "whole number" in assert_error_shape(response, 422)["message"], response.text
    assert await stage.events("answer.submitted") == []
    accepted = await participant.http.post(answers, json={"client_id": "c-2", "scale_value": 1})
    assert accepted.status_code == 201, accepted.text
