"""The load generator: one uvloop process holding every client socket (picows), sending answers
open-loop from a seeded schedule and measuring what each recipient gets.

    python -m bench.loadgen spec.json result.json

Message ``g`` is due at ``start + g / rate`` whatever happened before (open loop), and its
latencies are measured from that intended time, so a server that stalls cannot hide its stall
by slowing the sender down (no coordinated omission). The spec (bench.run writes it) names the
server, the wire, the rooms, the people and the phases; the result has one record per phase.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from array import array
from pathlib import Path
from typing import Any

import httpx
import uvloop

from bench.http_burst import post_json
from bench.measure import ProcessesSampler
from bench.phases import export_phase, idle_phase, join_phase, load_phase, report_phase, storm_phase, vote_phase
from bench.texts import answer_texts
from bench.wire import Client, command_frame, command_prefix, open_client

HEARTBEAT_S = 10.0  # Breakouts closes a socket silent for 45 s; real clients ping every 15 s.
HEARTBEAT_SLICE_S = 0.1
CONNECT_CONCURRENCY = 64  # handshakes in flight at once (a ticket redemption each on ours)


class Generator:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.wire: str = spec["wire"]
        self.host: str = spec.get("host", "127.0.0.1")
        self.port: int = spec["port"]
        self.rooms: list[str] = spec["rooms"]
        self.rng = random.Random(spec.get("seed", 1))
        self.texts = [text.encode() for text in answer_texts()]
        # A server run as several processes (S11) is measured as one: their CPU and RSS summed.
        self.server = ProcessesSampler(spec.get("server_pids") or [spec["server_pid"]])
        # S11: each person names the process (port) it connects to; deliveries to a socket on
        # another process than the sender's are also timed apart (the bus's share).
        self.cross_process = "ports" in spec
        self.sender_ports: list[array[int]] = [array("i") for _ in self.rooms]
        self.clients: list[Client] = []
        self.prefixes = [
            command_prefix(self.wire, room_id, i, spec.get("question_id", "")) for i, room_id in enumerate(self.rooms)
        ]
        # Per room: each message's intended send time and how many counted recipients got it.
        self.intended: list[array[float]] = [array("d") for _ in self.rooms]
        self.received: list[array[int]] = [array("H") for _ in self.rooms]
        # Per message number g: its intended send time, for the ack latency.
        self.intended_g: array[float] = array("d")
        # S8: each vote's intended send time, and each acked vote's latency.
        self.vote_intended: array[float] = array("d")
        self.vote_acks: array[float] = array("d")
        self.reset_window(0.0, 0.0)
        self.http: httpx.AsyncClient | None = None

    def reset_window(self, start: float, end: float) -> None:
        self.win_start, self.win_end = start, end
        self.latencies: array[float] = array("d")
        self.ack_latencies: array[float] = array("d")
        self.cross_latencies: array[float] = array("d")
        self.window_deliveries = 0
        self.window_acks = 0
        self.worst = (0.0, 0.0)  # the largest delivery latency and when in the window it was due
        self.duplicates = 0
        self.seq_gaps = 0
        self.acked = 0
        self.errors: dict[str, int] = {}

    # --- receiving (the hot path) ---------------------------------------------------------

    def on_text(self, client: Client, data: bytes) -> None:
        now = time.perf_counter()
        if self.wire == "socketio":
            head = data[:2]
            if head == b"43":
                self._on_ack(int(data[2 : data.index(b"[")]), now)
                return
            if head != b"42":
                client.on_control(data)
                return
        elif data.find(b'"ack"', 0, 16) >= 0:
            start = data.index(b'"', data.find(b'"ref":') + 6) + 1  # answers are "a<g>", votes (S8) "v<k>"
            number = int(data[start + 1 : data.index(b'"', start)])
            if data[start] == 0x76:  # v
                self.vote_acks.append(now - self.vote_intended[number])
            else:
                self._on_ack(number, now)
            return
        mark = data.find(b"~")
        if mark < 0:
            if data.find(b'"error"', 0, 16) >= 0:
                self._on_error(data)
            client.on_control(data)
            return
        end = data.index(b"~", mark + 1)
        room_part, _, n_part = data[mark + 1 : end].partition(b".")
        room, n = int(room_part), int(n_part)
        seen = client.seen.get(room)
        if seen is None:
            seen = client.seen[room] = bytearray(4096)
        if n >= len(seen):
            seen.extend(bytes(n - len(seen) + 4096))
        if seen[n]:
            self.duplicates += 1
            return
        seen[n] = 1
        if self.wire == "ours" and client.room >= 0:
            at = data.find(b'"seq":') + 6
            seq = int(data[at : data.index(b",", at)])
            if client.last_seq and seq != client.last_seq + 1:
                self.seq_gaps += 1
            client.last_seq = seq
            client.cursors[client.room_stream] = seq
        if not client.counts:
            return
        self.received[room][n] += 1
        intended = self.intended[room][n]
        if self.win_start <= intended < self.win_end:
            self.latencies.append(now - intended)
            if self.cross_process and self.sender_ports[room][n] != client.port:
                self.cross_latencies.append(now - intended)
            if now - intended > self.worst[0]:
                self.worst = (now - intended, intended - self.win_start)
        if self.win_start <= now < self.win_end:
            self.window_deliveries += 1

    def _on_ack(self, g: int, now: float) -> None:
        self.acked += 1
        if self.win_start <= now < self.win_end:
            self.window_acks += 1
        intended = self.intended_g[g]
        if self.win_start <= intended < self.win_end:
            self.ack_latencies.append(now - intended)

    def _on_error(self, data: bytes) -> None:
        try:
            code = str(json.loads(data).get("code", "?"))
        except ValueError:
            code = "?"
        self.errors[code] = self.errors.get(code, 0) + 1

    # --- sending --------------------------------------------------------------------------

    def send_answer(self, client: Client, intended: float) -> None:
        room = client.room
        g = len(self.intended_g)
        self.intended_g.append(intended)
        n = len(self.intended[room])
        self.intended[room].append(intended)
        self.received[room].append(0)
        if self.cross_process:
            self.sender_ports[room].append(client.port)
        text = self.texts[g % len(self.texts)]
        client.send(command_frame(self.wire, g, self.prefixes[room], b"~%d.%d~ " % (room, n) + text))

    # --- connecting -----------------------------------------------------------------------

    async def ticket(self, person: dict[str, Any]) -> str:
        posted = await post_json(
            self.host, self.port, "/api/realtime/tickets", {"meeting_id": self.spec["meeting_id"]}, person["token"]
        )
        if posted.status not in (200, 201):
            raise RuntimeError(f"ticket refused: HTTP {posted.status} {posted.body[:200]!r}")
        return str(json.loads(posted.body)["ticket"])

    async def connect(self, client: Client, *, fresh_ticket: bool = False) -> None:
        ticket = None
        if self.wire == "ours":
            ticket = client.person.get("ticket") if not fresh_ticket else None
            client.person["ticket"] = None  # single use
            ticket = ticket or await self.ticket(client.person)
        await open_client(client, self.host, client.port, ticket, stalls=bool(client.person.get("stalls")))
        client.room_stream = next((s for s in client.streams if s.startswith("room:")), "")

    async def connect_all(self, clients: list[Client], concurrency: int = CONNECT_CONCURRENCY) -> float:
        gate = asyncio.Semaphore(concurrency)

        async def one(client: Client) -> None:
            async with gate:
                await self.connect(client)

        started = time.perf_counter()
        await asyncio.gather(*(one(client) for client in clients))
        return time.perf_counter() - started

    def new_client(self, room: int, person: dict[str, Any]) -> Client:
        client = Client(self, len(self.clients), room, person)
        client.counts = not person.get("stalls")
        client.port = int(person.get("port") or self.port)
        self.clients.append(client)
        return client

    async def heartbeat(self) -> None:
        """Each client pings every ``HEARTBEAT_S``, spread evenly over the period as real clients'
        pings are (a burst of a thousand pings at once would be a load of its own)."""
        if self.wire != "ours":
            return
        slices = int(HEARTBEAT_S / HEARTBEAT_SLICE_S)
        turn = 0
        while True:
            await asyncio.sleep(HEARTBEAT_SLICE_S)
            for client in self.clients[turn % slices :: slices]:
                if client.connected and client.counts:
                    client.send(b'{"type":"ping"}')
            turn += 1

    # --- the run --------------------------------------------------------------------------

    async def run(self) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        async with httpx.AsyncClient(base_url=f"http://{self.host}:{self.port}", timeout=60, limits=limits) as http:
            self.http = http
            rss_before = self.server.rss_bytes()
            people = [self.new_client(p["room"], p) for p in self.spec["people"]]
            watchers = [self.new_client(-1, w) for w in self.spec.get("watchers", [])]
            # Clients ping from the moment they are in, as real ones do: on a slow machine
            # connecting thousands takes longer than the server waits for a silent socket.
            beat = asyncio.create_task(self.heartbeat())
            try:
                connect_s = await self.connect_all([c for c in people + watchers if not c.person.get("lazy")])
                for phase in self.spec["phases"]:
                    kind = phase["kind"]
                    if phase.get("step") and results and not passed(results[-1]) and not phase.get("through"):
                        continue  # a ramp stops at the first rate the server cannot hold
                    if kind == "idle":
                        record = await idle_phase(self, phase, rss_before, connect_s)
                    elif kind == "storm":
                        record = await storm_phase(self, phase)
                    elif kind == "joins":
                        record = await join_phase(self, phase)
                    elif kind == "report":
                        record = await report_phase(self, phase)
                    elif kind == "votes":
                        record = await vote_phase(self, phase)
                    elif kind == "export":
                        record = await export_phase(self, phase)
                    else:
                        record = await load_phase(self, phase)
                    record.update(name=phase["name"], server=self.spec["server"], connections=len(self.clients))
                    if "latency_ms" in record:
                        record["held"] = passed(record)
                    results.append(record)
            finally:
                beat.cancel()
                for client in self.clients:
                    if client.transport is not None and client.connected:
                        client.transport.disconnect()
        return results


LATENCY_BOUND_MS = 50.0


def passed(record: dict[str, Any]) -> bool:
    """Whether a load step held: nothing lost, every answer acknowledged, and the p99 of delivery
    and of the ack within the bound."""
    p99s = [record.get("latency_ms", {}).get("p99"), record.get("ack_ms", {}).get("p99")]
    bounded = all(p99 is not None and p99 <= LATENCY_BOUND_MS for p99 in p99s)
    return bounded and record.get("lost") == 0 and record.get("acked") == record.get("sent")


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    if spec.get("core") is not None:
        os.sched_setaffinity(0, {spec["core"]})
    generator = Generator(spec)
    results = uvloop.run(generator.run())
    Path(sys.argv[2]).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
