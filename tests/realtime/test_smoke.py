from __future__ import annotations

from app.realtime.eventlog import meeting_stream
from tests.realtime.people import world
from tests.realtime.server import LiveServer


async def test_organiser_follows_a_phase_change(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        client = await w.client(w.organiser)
        assert client.welcome is not None
        assert meeting_stream(w.meeting_id) in client.welcome.streams
        result = await client.command("meeting.change_phase", meeting_id=w.meeting_id, phase="lobby")
        assert result["phase"] == "lobby"
        event = await client.next_event()
        assert event.type == "meeting.phase_changed"
        assert event.data["phase"] == "lobby"
