"""The generator's phases: open-loop load (S1, S2, S3), load with one socket that stops reading
(S6), idle sockets (S4) and a reconnect storm (S5). Each returns a flat record of numbers."""

from __future__ import annotations

import asyncio
import json
import time
from array import array
from typing import TYPE_CHECKING, Any

from bench.http_burst import Fetched, fetch, post_json
from bench.measure import percentiles_ms
from bench.window_profile import mark_window

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
    mark_window(generator.spec, str(phase.get("name", "load")), rate, generator.win_start, generator.win_end)
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
        **({"cross_latency_ms": percentiles_ms(generator.cross_latencies)} if generator.cross_process else {}),
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
    generator.server.start()
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
    # The server's CPU while they came back (answers keep flowing meanwhile): on a shared machine
    # the CPU-seconds compare where the wall clock does not.
    server_cpu = generator.server.busy()
    await asyncio.sleep(float(phase.get("after_s", 3)))
    traffic.cancel()
    missing, expected = await drain(generator, first, float(phase.get("drain_s", 10)))
    return {
        "rate": rate,
        "dropped": len(droppers),
        "back": len(back),
        "all_back_s": round(all_back_s, 2),
        "back_ms": percentiles_ms(back),
        "server_cpu": round(server_cpu, 2),
        "reconnect_failures": failures,
        "expected": expected,
        "lost": missing,
        "duplicates": generator.duplicates,
        "seq_gaps": generator.seq_gaps,
        "errors": dict(generator.errors),
        "server_rss_mb": round(generator.server.rss_bytes() / 2**20, 1),
    }


async def join_phase(generator: Generator, phase: dict[str, Any]) -> dict[str, Any]:
    """S10: every client marked ``joins`` arrives at once: joins with the meeting code (a new
    roster entry and session), asks for a ticket and opens its socket (welcome, resumed). At most
    ``concurrency`` are under way at a time, as in S5; a refusal (429, 503) is retried after its
    ``Retry-After``, up to five attempts."""
    joiners = [client for client in generator.clients if client.person.get("joins")]
    code = str(generator.spec["join_code"])
    gate = asyncio.Semaphore(int(phase.get("concurrency", 500)))
    arrived: array[float] = array("d")
    failures: dict[str, int] = {}
    generator.server.start()
    start = time.perf_counter()

    async def arrive(index: int, client: Client) -> None:
        async with gate:
            for _ in range(5):
                try:
                    joined = await post_json(
                        generator.host,
                        generator.port,
                        "/api/join",
                        {"code": code, "display_name": f"Walk-in {index + 1}", "session_delivery": "token"},
                    )
                    if joined.status in (429, 503):
                        failures[str(joined.status)] = failures.get(str(joined.status), 0) + 1
                        await asyncio.sleep(min(5.0, float(joined.retry_after or "1")))
                        continue
                    if joined.status not in (200, 201):
                        raise RuntimeError(f"join refused: HTTP {joined.status}")
                    client.person["token"] = json.loads(joined.body)["token"]
                    await generator.connect(client, fresh_ticket=True)
                except Exception as error:
                    failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
                    continue
                arrived.append(time.perf_counter() - start)
                return

    await asyncio.gather(*(arrive(index, client) for index, client in enumerate(joiners)))
    all_in_s = time.perf_counter() - start
    return {
        "people": len(joiners),
        "joined": len(arrived),
        "all_in_s": round(all_in_s, 2),
        "in_ms": percentiles_ms(arrived),
        "failures": failures,
        "server_cpu": round(generator.server.busy(), 2),
        "server_rss_mb": round(generator.server.rss_bytes() / 2**20, 1),
    }


async def report_phase(generator: Generator, phase: dict[str, Any]) -> dict[str, Any]:
    """S7: every participant's phone fetches the plenary view once, the fetches spread evenly over
    ``window_s`` (open loop: latency from each fetch's intended time), each on its own connection."""

    phones = [client for client in generator.clients if client.room >= 0]
    window_s = float(phase["window_s"])
    path = f"/api/meetings/{generator.spec['meeting_id']}/plenary"
    start = time.perf_counter() + 0.05
    generator.server.start()

    async def phone(index: int, token: str) -> tuple[Fetched, float]:
        intended = start + index * window_s / len(phones)
        await asyncio.sleep(max(0.0, intended - time.perf_counter()))
        fetched = await fetch(generator.host, generator.port, path, token)
        return fetched, time.perf_counter() - intended

    results = await asyncio.gather(*(phone(i, client.person["token"]) for i, client in enumerate(phones)))
    took_s = time.perf_counter() - start
    server_cpu = generator.server.busy()
    errors: dict[str, int] = {}
    for fetched, _ in results:
        if fetched.status != 200:
            key = str(fetched.status or "connection")
            errors[key] = errors.get(key, 0) + 1
    sizes = [fetched.size for fetched, _ in results if fetched.status == 200]
    return {
        "phones": len(phones),
        "window_s": window_s,
        "ok": len(sizes),
        "errors": errors,
        "fetch_ms": percentiles_ms(array("d", (latency for _, latency in results))),
        "all_answered_s": round(took_s, 2),
        "view_kb": round(max(sizes) / 1024, 1) if sizes else None,
        "server_cpu": round(server_cpu, 3),
        "server_rss_mb": round(generator.server.rss_bytes() / 2**20, 1),
    }


async def vote_phase(generator: Generator, phase: dict[str, Any]) -> dict[str, Any]:
    """S8: every participant upvotes each staged answer of their room they did not write, the
    votes spread evenly over ``window_s`` in a seeded order; counts acks (after the commit),
    refusals and the sockets the server closed meanwhile."""
    targets: list[list[tuple[str, str]]] = generator.spec["vote_targets"]
    ballots = [
        (client, answer_id.encode())
        for client in counting(generator)
        if client.room >= 0 and client.connected
        for answer_id, author_id in targets[client.room]
        if author_id != client.person.get("participant_id")
    ]
    generator.rng.shuffle(ballots)
    window_s = float(phase["window_s"])
    connected_before = sum(1 for client in generator.clients if client.connected)
    start = time.perf_counter() + 0.05
    generator.reset_window(start, start + 3600)
    generator.vote_intended = array("d")
    generator.vote_acks = array("d")
    generator.server.start()
    for k, (voter, answer_id) in enumerate(ballots):
        intended = start + k * window_s / len(ballots)
        delay = intended - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        generator.vote_intended.append(intended)
        voter.send(b'{"type":"answer.vote","id":"v%d","answer_id":"%s"}' % (k, answer_id))
    deadline = time.perf_counter() + float(phase.get("drain_s", 10))
    while True:  # every vote answered (an ack or a refusal), or the drain's end
        answered = len(generator.vote_acks) + sum(generator.errors.values())
        if answered >= len(ballots) or time.perf_counter() >= deadline:
            break
        await asyncio.sleep(DRAIN_POLL_S)
    server_cpu = generator.server.busy()
    acks = sorted(generator.vote_acks)
    last_ack = max((start + latency for latency in acks), default=start)
    span_s = max(window_s, last_ack - start)
    return {
        "votes": len(ballots),
        "sent": len(ballots),
        "window_s": window_s,
        "offered_per_s": round(len(ballots) / window_s),
        "acked": len(acks),
        "acked_per_s": round(len(acks) / span_s),
        "all_acked_s": round(last_ack - start, 2) if len(acks) == len(ballots) else None,
        "ack_ms": percentiles_ms(acks),
        "errors": dict(generator.errors),
        "sockets_lost": connected_before - sum(1 for client in generator.clients if client.connected),
        "server_cpu": round(server_cpu, 3),
    }


async def export_phase(generator: Generator, phase: dict[str, Any]) -> dict[str, Any]:
    """S9: S2's rooms under load, then the same load while the organiser downloads the DOCX report
    again and again until the window ends: the others' p99 before and during."""

    senders = senders_of(generator)
    baseline = await run_load(generator, phase, senders)
    path = f"/api/meetings/{generator.spec['meeting_id']}/report.docx"
    exports: list[tuple[int, int, float]] = []
    stop = asyncio.Event()

    async def exporting() -> None:
        while not stop.is_set():
            began = time.perf_counter()
            fetched = await fetch(generator.host, generator.port, path, generator.spec["organiser_token"], 600)
            exports.append((fetched.status, fetched.size, time.perf_counter() - began))

    task = asyncio.create_task(exporting())
    during = await run_load(generator, phase, senders)
    stop.set()
    await task
    before, after = baseline["latency_ms"]["p99"], during["latency_ms"]["p99"]
    rise = None if not before or after is None else round(after / before - 1, 3)
    return {
        **during,
        "baseline": baseline,
        "p99_rise": rise,
        "exports": len(exports),
        "export_errors": sum(1 for status, _, _ in exports if status != 200),
        "export_s": round(max(seconds for _, _, seconds in exports), 2) if exports else None,
        "export_kb": round(max(size for _, size, _ in exports) / 1024) if exports else None,
    }
