"""Finding: the Python socket client escaped non-ASCII, so 1,400 emoji (5.6 KB of UTF-8, 16.8 KB
escaped) exceeded the frame cap that a browser's UTF-8 frame fits in. It sends UTF-8."""

from __future__ import annotations

from app.client.connection import frame_text
from app.realtime.limits import MESSAGE_MAX_BYTES
from tests.realtime.people import world
from tests.realtime.server import LiveServer

EMOJI_ANSWER = "\N{GRINNING FACE}" * 1400


def test_a_frame_is_written_as_a_browser_writes_it() -> None:
    text = frame_text({"type": "answer.submit", "text": EMOJI_ANSWER})
    assert EMOJI_ANSWER in text
    assert len(text.encode()) < MESSAGE_MAX_BYTES


async def test_an_answer_of_1400_emoji_goes_through_the_python_client(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        question = await w.question([room])
        await w.to_phase("lobby", "plenary", "breakouts")
        await w.push(room, question)
        amina = await w.client(await w.join("participant", room, name="Amina"))
        await amina.command("answer.submit", room_id=room, question_id=question, text=EMOJI_ANSWER)
        answers = await w.organiser.http.get(f"/api/rooms/{room}/answers", params={"question_id": str(question)})
        assert answers.status_code == 200, answers.text
        assert [answer["text"] for answer in answers.json()] == [EMOJI_ANSWER]
