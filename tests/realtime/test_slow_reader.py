from __future__ import annotations

import asyncio

from websockets.exceptions import ConnectionClosed

from app.realtime.eventlog import room_stream
from app.realtime.limits import CloseCode
from tests.realtime.events import emit_broadcasts
from tests.realtime.people import world
from tests.realtime.raw import frames_until, raw_socket
from tests.realtime.server import LiveServer

BATCH = 100
EVENT_TEXT_BYTES = 4000
MAX_BATCHES = 60  # 24 MB: several times what the kernel buffers and the send queue can hold


async def test_a_client_that_stops_reading_is_closed_and_its_room_keeps_receiving(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        stream = room_stream(room_id)
        slow_person, *others = [await w.join("participant", room_id, name=f"P{i}") for i in range(3)]
        fast = [await w.client(person, name=f"fast{i}") for i, person in enumerate(others)]
        slow = await raw_socket(w, slow_person, receive_buffer=4096, max_queue=1)
        await frames_until(slow, "resumed")
        await frames_until(slow, "resumed")  # the meeting's and the room's markers, then it stops reading
        assert slow_person.participant_id is not None
        (slow_socket,) = live_server.state.live.registry.of_participant(slow_person.participant_id)
        server_side = slow_socket.connection

        sent = 0
        while server_side.close_code is None and sent < MAX_BATCHES * BATCH:
            await emit_broadcasts(live_server.state, w.meeting_id, stream, BATCH, size=EVENT_TEXT_BYTES)
            sent += BATCH
            for client in fast:  # the room keeps up, batch after batch
                for _ in range(BATCH):
                    event = await client.next_event()
                    assert event.stream == stream
        assert server_side.close_code is CloseCode.TOO_SLOW

        # The room goes on after the slow socket is gone.
        await emit_broadcasts(live_server.state, w.meeting_id, stream, 1)
        for client in fast:
            assert (await client.next_event()).seq == sent + 1
            assert client.gaps == 0 and client.duplicates == 0

        # The slow client finds its socket closed once it reads again, and resumes from its cursor.
        received = 0
        try:
            async with asyncio.timeout(30):
                async for _ in slow:
                    received += 1
        except ConnectionClosed:
            pass
        assert received < sent
        assert slow.close_code in (CloseCode.TOO_SLOW, 1006)
