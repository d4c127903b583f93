"""A socket's frames of one loop tick leave in one write, in order; without the server's
several-frames message (another WebSocket protocol) they leave one by one, in the same order."""

from __future__ import annotations

from asyncio import Transport
from typing import Any

from fastapi import FastAPI
from websockets.frames import Frame, Opcode

from app.realtime.eventlog import room_stream
from app.realtime.ws_protocol import BatchingWebSocketProtocol, framed_text
from tests.realtime.events import emit_broadcasts
from tests.realtime.people import world
from tests.realtime.raw import frames_until, next_frame, raw_socket
from tests.realtime.server import LiveServer, serving

EVENTS = 25


class CountedTransport:
    """The server's real transport, counting the writes that carry socket frames."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.writes = 0

    def write(self, data: bytes) -> None:
        self.writes += 1
        self.transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class CountingProtocol(BatchingWebSocketProtocol):
    transports: list[CountedTransport] = []

    def connection_made(self, transport: Any) -> None:
        counted = CountedTransport(transport)
        CountingProtocol.transports.append(counted)
        super().connection_made(counted)  # type: ignore[arg-type]  # a stand-in that writes through


async def events_of_one_transaction(server: LiveServer) -> tuple[list[int], int]:
    """A participant's socket receives ``EVENTS`` events committed together: their seqs, and how
    many writes the server made for them."""
    async with world(server) as w:
        room_id = await w.add_room("Room 1")
        stream = room_stream(room_id)
        person = await w.join("participant", room_id)
        socket = await raw_socket(w, person)
        await frames_until(socket, "resumed")
        await frames_until(socket, "resumed")  # the meeting's and the room's
        before = sum(transport.writes for transport in CountingProtocol.transports)
        await emit_broadcasts(server.state, w.meeting_id, stream, EVENTS)
        frames = [await next_frame(socket) for _ in range(EVENTS)]
        writes = sum(transport.writes for transport in CountingProtocol.transports) - before
        await socket.close()
        assert {frame["stream"] for frame in frames} == {stream}
        return [frame["seq"] for frame in frames], writes


async def test_the_frames_of_one_tick_leave_in_one_write_in_order(app: FastAPI) -> None:
    CountingProtocol.transports = []
    async with serving(app, CountingProtocol) as server:
        seqs, writes = await events_of_one_transaction(server)
    assert seqs == list(range(seqs[0], seqs[0] + EVENTS))
    assert writes == 1


async def test_under_another_websocket_protocol_they_leave_one_by_one_in_order(app: FastAPI) -> None:
    async with serving(app, "websockets-sansio") as server:
        seqs, _ = await events_of_one_transaction(server)
    assert seqs == list(range(seqs[0], seqs[0] + EVENTS))


def test_a_text_framed_once_is_the_frame_websockets_sends() -> None:
    """Every length class of the header (7-bit, 16-bit, 64-bit), in UTF-8 bytes, not characters."""
    for length in (0, 1, 125, 126, 127, 65_535, 65_536, 70_001):
        text = "é" * (length // 2) + "a" * (length % 2)
        expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
        assert framed_text(text) == expected, length
