"""The breakouts' close countdown over the socket: the organiser starts, extends and cancels it,
and a participant's phone is told each change; bad or unauthorised commands are refused with an
error frame and change nothing."""

from __future__ import annotations

from datetime import datetime

from app.client.connection import CommandRefused, Event, LiveClient
from app.realtime.eventlog import meeting_stream
from tests.realtime.people import world
from tests.realtime.server import LiveServer


async def _next_meeting_event(client: LiveClient) -> Event:
    while True:
        event = await client.next_event()
        if event.stream.startswith("meeting:"):
            return event


async def _refused(client: LiveClient, command_type: str, **fields: object) -> str:
    try:
        await client.command(command_type, **fields)
    except CommandRefused as refused:
        return refused.code
    raise AssertionError(f"{command_type} {fields} was accepted")


async def test_every_phone_follows_the_countdown_and_bad_commands_change_nothing(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        await w.to_phase("lobby", "plenary", "breakouts")
        amina = await w.client(await w.join("participant", room, name="Amina"))
        organiser = await w.client(w.organiser)
        meeting_id = w.meeting_id

        assert await _refused(organiser, "meeting.cancel_countdown", meeting_id=meeting_id) == "no_countdown"
        assert (
            await _refused(organiser, "meeting.extend_countdown", meeting_id=meeting_id, seconds=60) == "no_countdown"
        )

        await organiser.command("meeting.change_phase", meeting_id=meeting_id, phase="report_back", countdown_s=120)
        closing = await _next_meeting_event(amina)
        assert (closing.type, closing.stream) == ("meeting.breakouts_closing", meeting_stream(meeting_id))
        close_at = datetime.fromisoformat(closing.data["close_at"])

        for bad in (-5, 0, 3601, "soon"):
            code = await _refused(organiser, "meeting.extend_countdown", meeting_id=meeting_id, seconds=bad)
            assert code == "invalid_frame", (bad, code)
        assert await _refused(amina, "meeting.extend_countdown", meeting_id=meeting_id, seconds=60) == "forbidden"
        assert await _refused(amina, "meeting.cancel_countdown", meeting_id=meeting_id) == "forbidden"

        await organiser.command("meeting.extend_countdown", meeting_id=meeting_id, seconds=60)
        extended = await _next_meeting_event(amina)
        assert extended.type == "meeting.breakouts_timing_changed"
        assert datetime.fromisoformat(extended.data["meeting"]["breakouts_close_at"]).timestamp() == (
            close_at.timestamp() + 60
        )

        await organiser.command("meeting.cancel_countdown", meeting_id=meeting_id)
        cancelled = await _next_meeting_event(amina)
        assert cancelled.type == "meeting.breakouts_timing_changed"
        assert cancelled.data["meeting"]["breakouts_close_at"] is None
        assert cancelled.data["meeting"]["phase"] == "breakouts"
