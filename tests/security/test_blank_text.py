"""Finding: an answer made only of zero-width characters was not blank. Text that shows nothing
(whitespace, zero-width and other format characters) is refused as blank."""

from __future__ import annotations

from tests.questions.staging import Stage
from tests.security.test_nul_and_server_errors import assert_error_shape

INVISIBLE = ("\u200b\u200c\u200d", "\ufeff \u2060", "\u00a0\u200b\n\t")


async def test_an_answer_of_invisible_characters_is_blank(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant()
    url = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers"
    for index, text in enumerate(INVISIBLE):
        refused = await participant.http.post(url, json={"client_id": f"c-{index}", "text": text})
        assert "blank" in assert_error_shape(refused, 422)["message"], repr(text)
    assert await stage.events("answer.submitted") == []
    kept = await participant.http.post(url, json={"client_id": "c-kept", "text": "Train\u200bofficials"})
    assert kept.status_code == 201, kept.text
