"""The socket's reader never waits for a command: while a socket's commands are held up, its pings
(the protocol's and the heartbeat frame) are answered; its commands still run in the order sent,
and those past the queue's bound are refused with ``busy``. A real server and real sockets; the
commands are held at the command layer's door (a gate the test opens) so that "held up" does not
depend on the machine's speed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pydantic import BaseModel

from app.auth.access import Actor
from app.live.commands import CommandDispatcher
from app.realtime import limits
from app.realtime.limits import RATE_BURST
from app.realtime.protocol import ClientCommand
from tests.realtime.people import world
from tests.realtime.raw import frames_until, next_frame, raw_socket
from tests.realtime.server import LiveServer

Run = Callable[[Actor, ClientCommand], Awaitable[BaseModel]]


class HeldCommands:
    """Commands wait at the door until ``open``; ``arrived`` counts those that reached it."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self.gate = asyncio.Event()
        self.arrived: list[str] = []
        self.one_arrived = asyncio.Event()

    async def run(self, actor: Actor, command: ClientCommand) -> BaseModel:
        self.arrived.append(command.id)
        self.one_arrived.set()
        await self.gate.wait()
        return await self._run(actor, command)


def hold_commands(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> HeldCommands:
    dispatcher: CommandDispatcher = live_server.state.live.commands
    held = HeldCommands(dispatcher.run)
    monkeypatch.setattr(dispatcher, "run", held.run)
    return held


def vote(n: int, answer_id: str) -> str:
    return json.dumps({"type": "answer.vote", "id": f"v{n}", "answer_id": answer_id})


async def test_a_socket_flooded_with_commands_keeps_answering_pings(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        person = await w.join("participant", room_id)
        socket = await raw_socket(w, person, max_queue=256)
        await frames_until(socket, "resumed")
        await frames_until(socket, "resumed")
        held = hold_commands(live_server, monkeypatch)
        unknown_answer = "00000000-0000-4000-8000-000000000000"

        # The whole burst the rate limit allows (with the hello and the two pings), while the first
        # command is held up.
        flood = RATE_BURST - 3
        for n in range(flood):
            await socket.send(vote(n, unknown_answer))
        await held.one_arrived.wait()
        await socket.send(json.dumps({"type": "ping"}))
        assert (await next_frame(socket))["type"] == "pong"  # no ack before it: all are held
        pong_waiter = await socket.ping()
        await asyncio.wait_for(pong_waiter, 10)  # the protocol's ping, answered by the server
        assert held.arrived == ["v0"]  # one at a time: the rest wait behind it

        held.gate.set()
        replies = [await next_frame(socket) for _ in range(flood)]
        assert [reply["ref"] for reply in replies] == [f"v{n}" for n in range(flood)]  # in the order sent
        assert all(reply["type"] == "error" and reply["code"] == "not_found" for reply in replies)
        assert held.arrived == [f"v{n}" for n in range(flood)]
        await socket.send(json.dumps({"type": "ping"}))
        last = await next_frame(socket)
        assert last["type"] == "pong", last
        await socket.close()


async def test_commands_past_the_queue_bound_are_refused_as_busy(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    bound = 3
    monkeypatch.setattr(limits, "COMMAND_QUEUE_LIMIT", bound)
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        person = await w.join("participant", room_id)
        socket = await raw_socket(w, person, max_queue=64)
        await frames_until(socket, "resumed")
        await frames_until(socket, "resumed")
        held = hold_commands(live_server, monkeypatch)
        unknown_answer = "00000000-0000-4000-8000-000000000000"

        await socket.send(vote(0, unknown_answer))
        await held.one_arrived.wait()  # v0 runs; v1..v3 wait; v4 and v5 are over the bound
        sent = 6
        for n in range(1, sent):
            await socket.send(vote(n, unknown_answer))
        refusals: list[dict[str, Any]] = [await next_frame(socket) for _ in range(sent - 1 - bound)]
        assert [(r["type"], r["code"], r["ref"]) for r in refusals] == [
            ("error", "busy", "v4"),
            ("error", "busy", "v5"),
        ]

        held.gate.set()
        replies = [await next_frame(socket) for _ in range(1 + bound)]
        assert [reply["ref"] for reply in replies] == ["v0", "v1", "v2", "v3"]
        assert held.arrived == ["v0", "v1", "v2", "v3"]
        await socket.close()
