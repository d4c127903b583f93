"""The Redis bus's own CPU per message, apart from any server: two ``RedisBus`` in this process (a
writer and a reader, as two processes have) follow the same streams; the writer publishes batches
of one event per stream, and the reader waits for all. Reported: this process's CPU time (user and
system, both buses: encoding, the writes, Redis's replies, the echo of the writer's own messages,
reading and decoding) from the first publish to the last event received, per message. CPU time
survives a loaded machine far better than wall time; Redis's own CPU is not in it.

    python -m bench.bus_cost [--url redis://127.0.0.1:6379/0] [--batches 2000] [--spacing 0.001]

``--spacing`` sleeps between batches (0: one batch per loop tick, written together as far as the
bus coalesces them). ``BENCH_BREAKOUTS_ROOT`` is not read; to measure another checkout's bus, run
this file with that checkout first on the path: ``PYTHONPATH=<checkout> python bench/bus_cost.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import uvloop

from app.database import utcnow
from app.realtime.eventlog import CommittedEvent
from app.realtime.redis_bus import RedisBus
from app.redis_client import create_redis

STREAMS = 10


async def measure(url: str, batches: int, spacing: float) -> str:
    writer_client, reader_client = create_redis(url), create_redis(url)
    writer, reader = RedisBus(writer_client), RedisBus(reader_client)
    await writer.start()
    await reader.start()
    try:
        async with asyncio.timeout(10):
            await writer.connected.wait()
            await reader.connected.wait()
        streams = [f"room:{uuid.uuid4()}" for _ in range(STREAMS)]
        total, received, done = STREAMS * batches, 0, asyncio.Event()

        def heard(_: CommittedEvent) -> None:
            nonlocal received
            received += 1
            if received == total:
                done.set()

        for stream in streams:
            await reader.subscribe(stream, heard)
            await writer.subscribe(stream, lambda _: None)  # so Redis echoes the writer's own messages
        answer = {"id": str(uuid.uuid4()), "text": "an answer of an ordinary length, " * 3, "votes": 0}
        payload = {"room_id": str(uuid.uuid4()), "answer": answer, "count": 1}
        cpu, wall = time.process_time(), time.perf_counter()
        for batch in range(batches):
            now = utcnow()
            await writer.publish(
                [CommittedEvent(stream, batch + 1, "answer.submitted", payload, payload, now) for stream in streams]
            )
            await asyncio.sleep(spacing)
        async with asyncio.timeout(120):
            await done.wait()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return (
            f"messages={total} spacing={spacing}s cpu={cpu:.3f}s wall={wall:.2f}s "
            f"cpu_per_message_us={1e6 * cpu / total:.1f}"
        )
    finally:
        await writer.stop()
        await reader.stop()
        await writer_client.aclose()
        await reader_client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--batches", type=int, default=2000)
    parser.add_argument("--spacing", type=float, default=0.0)
    arguments = parser.parse_args()
    print(uvloop.run(measure(arguments.url, arguments.batches, arguments.spacing)))


if __name__ == "__main__":
    main()
