"""The generator's phases: open-loop load (S1, S2, S3), load with one socket that stops reading
(S6), idle sockets (S4) and a reconnect storm (S5). Each returns a flat record of numbers."""

from __future__ import annotations

import asyncio
import time
from array import array
from typing import TYPE_CHECKING, Any

from bench.measure import percentiles_ms

if TYPE_CHECKING:
    from bench.loadgen import Generator
    from bench.wire import Client

DRAIN_POLL_S = 0.05


def counting(generator: Generator) -> list[Client]:
    return [client for client in generator.clients if client.counts]


def expected_per_room(generator: Generator) -> list[int]:
    """How many counted sockets should receive each message of a room (its members, the sender
    included, and every watcher of all rooms)."""
    clients = counting(generator)
    watchers = sum(1 for client in clients if client.room < 0)
    expected = [watchers] * len(generator.rooms)
    for client in clients:
        if client.room >= 0:
            expected[client.room] += 1
    return expected


def outstanding(generator: Generator, first: list[int]) -> tuple[int, int]:
    """(deliveries still missing, deliveries expected) for the messages numbered from ``first``."""
    expected = expected_per_room(generator)
    missing = total = 0
    for room, received in enumerate(generator.received):
        want = expected[room]
        for n in range(first[room], len(received)):
            total += want
            if received[n] < want:
                missing += want - received[n]
    return missing, total


async def drain(generator: Generator, first: list[int], wait_s: float) -> tuple[int, int]:
    deadline = time.perf_counter() + wait_s
    while True:
        missing, total = outstanding(generator, first)
        if missing == 0 or time.perf_counter() >= deadline:
            return missing, total
        await asyncio.sleep(DRAIN_POLL_S)


async def drive(generator: Generator, senders: list[Client], rate: float, start: float, until: float) -> dict[str, Any]:
    """Send message k at ``start + k / rate`` until ``until``; samples the server's CPU over the
    measurement window. Returns the send-side numbers."""
    total = int((until - start) * rate)
    lags: array[float] = array("d")
    k = unsent = 0
    sampled = False
    cpu_started = 0.0
    while k < total:
        now = time.perf_counter()
        if not sampled and now >= generator.win_start:
            generator.server.start()
            cpu_started, sampled = time.process_time(), True
        due = min(total, int((now - start) * rate) + 1)
        while k < due:
            intended = start + k / rate
            sender = senders[k % len(senders)]
            if sender.connected:
                generator.send_answer(sender, intended)
                lags.append(now - intended)
            else:
                unsent += 1
            k += 1
        if k < total:
            await asyncio.sleep(max(0.0, start + k / rate - time.perf_counter()))
    await asyncio.sleep(max(0.0, generator.win_end - time.perf_counter()))
    window = generator.win_end - generator.win_start
    server_cpu = generator.server.busy() if sampled else None
    generator_cpu = (time.process_time() - cpu_started) / window if sampled and window > 0 else None
    return {
        "sent": k - unsent,
        "unsent": unsent,
        "server_cpu": None if server_cpu is None else round(server_cpu, 3),
        "generator_cpu": None if generator_cpu is None else round(generator_cpu, 3),
        "send_lag_ms": percentiles_ms(lags),
    }


async def run_load(generator: Generator, phase: dict[str, Any], senders: list[Client]) -> dict[str, Any]:
    rate = float(phase["rate"])
    warmup_s, duration_s = float(phase.get("warmup_s", 2)), float(phase["duration_s"])
    first = [len(intended) for intended in generator.intended]
    start = time.perf_counter() + 0.02
    generator.reset_window(start + warmup_s, start + warmup_s + duration_s)
    sending = await drive(generator, senders, rate, start, generator.win_end)
    deliveries, acks = generator.window_deliveries, generator.window_acks
    rss = generator.server.rss_bytes()
    missing, expected = await drain(generator, first, float(phase.get("drain_s", 5)))
    return {
        "rate": rate,
        "duration_s": duration_s,
        **sending,
        "acked": generator.acked,
        "acked_per_s": round(acks / duration_s),
        "errors": dict(generator.errors),
        "delivered_fps": round(deliveries / duration_s),
        "fps_per_cpu": round(deliveries / duration_s / sending["server_cpu"]) if sending["server_cpu"] else None,
        "latency_ms": percentiles_ms(generator.latencies),
        "worst_due_at_s": round(generator.worst[1], 3),
        "ack_ms": percentiles_ms(generator.ack_latencies),
        "expected": expected,
        "lost": missing,
        "duplicates": generator.duplicates,
        "seq_gaps": generator.seq_gaps,
        "server_rss_mb": round(rss / 2**20, 1),
    }


def senders_of(generator: Generator) -> list[Client]:
    """Every counted participant, in a seeded order (each sends in turn: rate / n per second)."""
    senders = [client for client in counting(generator) if client.room >= 0 and not client.person.get("drops")]
    generator.rng.shuffle(senders)
    return senders


async def load_phase(generator: Generator, phase: dict[str, Any]) -> dict[str, Any]:
    senders = senders_of(generator)
    if phase["kind"] != "stall":
        return await run_load(generator, phase, senders)
    stalled = [client for client in generator.clients if client.person.get("stalls")]
    for client in stalled:
        if not client.connected:
            await generator.connect(client)
    baseline = await run_load(generator, phase, senders)
    for client in stalled:
        client.stop_reading()
    during = await run_load(generator, phase, senders)
    before, after = baseline["latency_ms"]["p99"], during["latency_ms"]["p99"]
    rise = None if not before or after is None else round(after / before - 1, 3)
    return {**during, "baseline": baseline, "p99_rise": rise}


async def idle_phase(generator: Generator, phase: dict[str, Any], rss_before: int, connect_s: float) -> dict[str, Any]:
    await asyncio.sleep(float(phase.get("settle_s", 3)))
    rss_after = generator.server.rss_bytes()
    connections = sum(1 for client in generator.clients if client.connected)
    return {
        "connected": connections,
        "connect_s": round(connect_s, 2),
        "rss_before_mb": round(rss_before / 2**20, 1),
        "rss_after_mb": round(rss_after / 2**20, 1),
        "rss_per_connection_kb": round((rss_after - rss_before) / max(1, connections) / 1024, 1),
    }


async def storm_phase(generator: Generator, phase: dict[str, Any]) -> dict[str, Any]:
    """Every client marked ``drops`` loses its connection at once and comes back (a new ticket
    over REST, the hello with its cursors on ours) while the others keep answering."""
    droppers = [client for client in generator.clients if client.person.get("drops")]
    senders = senders_of(generator)
    rate = float(phase.get("rate", 100))
    first = [len(intended) for intended in generator.intended]
    start = time.perf_counter() + 0.02
    generator.reset_window(start, start + 3600)
    traffic = asyncio.create_task(drive(generator, senders, rate, start, start + 3600))
    await asyncio.sleep(float(phase.get("before_s", 2)))
    dropped_at = time.perf_counter()
    for client in droppers:
        assert client.transport is not None
        client.transport.disconnect()
    gate = asyncio.Semaphore(int(phase.get("concurrency", 500)))
    back: array[float] = array("d")
    failures: dict[str, int] = {}

    async def comeback(client: Client) -> None:
        async with gate:
            for _ in range(5):
                try:
                    await generator.connect(client, fresh_ticket=True)
                except Exception as error:
                    failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
                    continue
                back.append(time.perf_counter() - dropped_at)
                return

    await asyncio.gather(*(comeback(client) for client in droppers))
    all_back_s = time.perf_counter() - dropped_at
    await asyncio.sleep(float(phase.get("after_s", 3)))
    traffic.cancel()
    missing, expected = await drain(generator, first, float(phase.get("drain_s", 10)))
    return {
        "rate": rate,
        "dropped": len(droppers),
        "back": len(back),
        "all_back_s": round(all_back_s, 2),
        "back_ms": percentiles_ms(back),
        "reconnect_failures": failures,
        "expected": expected,
        "lost": missing,
        "duplicates": generator.duplicates,
        "seq_gaps": generator.seq_gaps,
        "errors": dict(generator.errors),
        "server_rss_mb": round(generator.server.rss_bytes() / 2**20, 1),
    }
