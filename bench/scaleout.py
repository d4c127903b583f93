"""S11, scale-out: S1 (fan-out) and S2 (durable answers) served by two Breakouts processes on
PostgreSQL and Redis, the generator's connections spread over both, against one process on
SQLite with the in-process bus, in one run.

    python -m bench.scaleout              # both scenarios, two runs (about 8 minutes)
    python -m bench.scaleout --runs 1 --only S1

Both processes are pinned to the server's core (0), as is the one SQLite process and the Redis the
benchmark starts for itself; the generator runs on core 1. On two cores the throughput cannot
double, so what S11 compares is the efficiency: frames delivered per CPU-second of the server
processes (summed), and the latency of deliveries that crossed processes (sender on one, recipient
on the other, through Redis). PostgreSQL is the machine's own server: its CPU is not in the
servers' figure (the report gives Redis's CPU beside it).

Writes bench/results/<date>-scaleout.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from app.migrations_path import upgrade
from bench.measure import ProcessSampler
from bench.run import (
    GENERATOR_CORE,
    RESULTS,
    SERVER_CORE,
    SMOKE,
    Sizes,
    layout_shape,
    people_spec,
    phases_for,
    run_generator,
)
from bench.servers import ROOT, SERVERS, free_port, running
from bench.stage import add_organiser, mint_tickets, prepare_database, stage_meeting
from bench.window_profile import profiling_windows

POSTGRES_ADMIN_DSN = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
SCENARIO_SERVER = {"S1": "breakouts-fanout", "S2": "breakouts"}
PROCESSES = 2


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A database of this run's own on the machine's PostgreSQL, migrated, with the organiser."""
    name = f"bench_s11_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{name}"
    try:
        await asyncio.to_thread(upgrade, url)
        await add_organiser(url)
        yield url
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@contextlib.contextmanager
def redis_server(log: Path) -> Iterator[tuple[str, int]]:
    """A redis-server of the benchmark's own, pinned to the server's core: (url, pid)."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise SystemExit("redis-server is missing: `make system-redis` installs it")
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.sched_setaffinity(0, {SERVER_CORE}),
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not _listening(port):
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0", process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _spec(people: list[dict[str, Any]], watchers: list[dict[str, Any]], layout: Any, sizes: Sizes) -> dict[str, Any]:
    for entry, person in zip(people, layout.people, strict=True):
        entry.update(token=person.token, ticket=person.ticket)
    for watcher in watchers:
        watcher["token"] = layout.organiser.token
    return {
        "wire": "ours",
        "rooms": layout.rooms,
        "meeting_id": layout.meeting_id,
        "question_id": layout.question_id,
        "organiser_token": layout.organiser.token,
        "people": people,
        "watchers": watchers,
        "core": GENERATOR_CORE,
    }


async def one_process(
    scenario: str, sizes: Sizes, work: Path, number: int, profile: Path | None
) -> list[dict[str, Any]]:
    kind = SERVERS[SCENARIO_SERVER[scenario]]
    rooms, per_room, _ = layout_shape("rooms", sizes)
    database_url = await prepare_database(work / f"s11-{number}.db")
    secret_key = secrets.token_urlsafe(32)
    log = work / f"{number:03d}-one.log"
    with running(kind, SERVER_CORE, log, rooms=rooms, database_url=database_url, secret_key=secret_key) as server:
        layout = await stage_meeting(server.base_url, database_url, rooms, per_room)
        mint_tickets(secret_key, layout, layout.people)
        people, watchers = people_spec("rooms", rooms, per_room, None)
        spec = _spec(people, watchers, layout, sizes)
        spec.update(server=f"{kind.name} x1 SQLite", port=server.port, server_pid=server.pid, seed=number)
        spec["phases"] = phases_for(scenario, sizes, True)
        with profiling_windows([server.pid], profile, f"{number:03d}-{scenario}-one", spec, GENERATOR_CORE):
            records = await asyncio.to_thread(run_generator, spec, work, number)
    for record in records:
        record.update(topology="one process, SQLite, in-process bus", processes=1)
    return records


async def two_processes(
    scenario: str, sizes: Sizes, work: Path, number: int, profile: Path | None
) -> list[dict[str, Any]]:
    kind = SERVERS[SCENARIO_SERVER[scenario]]
    rooms, per_room, _ = layout_shape("rooms", sizes)
    async with postgres_database() as database_url:
        with contextlib.ExitStack() as stack:
            redis_url, redis_pid = stack.enter_context(redis_server(work / f"{number:03d}-redis.log"))
            secret_key = secrets.token_urlsafe(32)  # shared: a ticket minted for one opens a socket on any
            shared = {"BREAKOUTS_REDIS_URL": redis_url, "BREAKOUTS_SECRET_KEY": secret_key}
            servers = [
                stack.enter_context(
                    running(
                        kind,
                        SERVER_CORE,
                        work / f"{number:03d}-two-{index}.log",
                        rooms=rooms,
                        database_url=database_url,
                        extra_env=shared,
                    )
                )
                for index in range(PROCESSES)
            ]
            layout = await stage_meeting(servers[0].base_url, database_url, rooms, per_room)
            mint_tickets(secret_key, layout, layout.people)
            people, watchers = people_spec("rooms", rooms, per_room, None)
            for index, person in enumerate(people):  # every room has people on each process
                person["port"] = servers[index % PROCESSES].port
            spec = _spec(people, watchers, layout, sizes)
            spec.update(
                server=f"{kind.name} x{PROCESSES} PostgreSQL + Redis",
                port=servers[0].port,
                ports=[server.port for server in servers],
                server_pid=servers[0].pid,
                server_pids=[server.pid for server in servers],
                seed=number,
            )
            spec["phases"] = phases_for(scenario, sizes, True)
            redis_cpu = ProcessSampler(redis_pid)
            redis_cpu.start()
            pids = [server.pid for server in servers]
            with profiling_windows(pids, profile, f"{number:03d}-{scenario}-two", spec, GENERATOR_CORE):
                records = await asyncio.to_thread(run_generator, spec, work, number)
            redis_busy = round(redis_cpu.busy(), 3)
    for record in records:
        record.update(topology=f"{PROCESSES} processes, PostgreSQL, Redis bus", processes=PROCESSES)
        record["redis_cpu_session"] = redis_busy
    return records


async def benchmark(arguments: argparse.Namespace) -> list[dict[str, Any]]:
    sizes = SMOKE if arguments.smoke else Sizes()
    if arguments.s1_rates:
        sizes = dataclasses.replace(sizes, s1_rates=tuple(int(rate) for rate in arguments.s1_rates.split(",")))
    if arguments.s2_rates:
        sizes = dataclasses.replace(sizes, s2_rates=tuple(int(rate) for rate in arguments.s2_rates.split(",")))
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="breakouts-s11-") as directory:
        work = Path(arguments.keep) if arguments.keep else Path(directory)
        work.mkdir(parents=True, exist_ok=True)
        number = 0
        profile = Path(arguments.profile) if arguments.profile else None
        for run in range(arguments.runs):
            for scenario in arguments.only.split(","):
                variants = [one_process, two_processes] if run % 2 == 0 else [two_processes, one_process]
                for variant in variants:
                    number += 1
                    started = time.monotonic()
                    print(f"S11/{scenario} run {run + 1}: {variant.__name__.replace('_', ' ')} …", flush=True)
                    for record in await variant(scenario, sizes, work, number, profile):
                        record.update(run=run, scenario=f"S11/{scenario}")
                        records.append(record)
                        print("  " + _line(record), flush=True)
                    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    return records


def _line(record: dict[str, Any]) -> str:
    cross = record.get("cross_latency_ms", {}).get("p99")
    return (
        f"{record['server']:38} rate {record['rate']:>5.0f}/s {record['delivered_fps']:>7} frames/s "
        f"p99 {record['latency_ms']['p99']} ms"
        + (f" cross-process p99 {cross} ms" if cross is not None else "")
        + f" ack p99 {record['ack_ms']['p99']} ms cpu {record['server_cpu']} "
        f"frames/CPU-s {record['fps_per_cpu']} lost {record['lost']} dup {record['duplicates']} "
        f"gaps {record['seq_gaps']} {'held' if record.get('held') else 'FAILED'}"
    )


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def render(records: list[dict[str, Any]], runs: int, seconds: float) -> str:
    lines = [
        f"# S11 scale-out — {datetime.now(UTC):%Y-%m-%d}",
        "",
        f"`python -m bench.scaleout --runs {runs}` ({seconds / 60:.0f} min). Server processes pinned to core 0 "
        "(both of the two, and their Redis), the generator to core 1; PostgreSQL is the machine's own (not "
        "pinned, its CPU not counted). Medians over the runs.",
        "",
        "| scenario | topology | answers/s | frames/s | server CPU | frames per CPU-s | p99 ms | "
        "cross-process p99 ms | ack p99 ms | lost | dup | gaps | held |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    groups: dict[tuple[str, str, float], list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault((record["scenario"], record["topology"], record["rate"]), []).append(record)
    for (scenario, topology, rate), group in sorted(
        groups.items(), key=lambda item: (item[0][0], item[0][2], item[0][1])
    ):

        def med(*path: str, group: list[dict[str, Any]] = group) -> str:
            values = []
            for record in group:
                value: Any = record
                for key in path:
                    value = value.get(key) if isinstance(value, dict) else None
                if isinstance(value, int | float):
                    values.append(float(value))
            median = _median(values)
            return (
                "—"
                if median is None
                else f"{median:,.0f}"
                if median >= 100
                else f"{median:.2f}".rstrip("0").rstrip(".")
            )

        held = sum(1 for record in group if record.get("held"))
        lines.append(
            f"| {scenario} | {topology} | {rate:,.0f} | {med('delivered_fps')} | {med('server_cpu')} | "
            f"{med('fps_per_cpu')} | {med('latency_ms', 'p99')} | {med('cross_latency_ms', 'p99')} | "
            f"{med('ack_ms', 'p99')} | {med('lost')} | {med('duplicates')} | {med('seq_gaps')} | {held}/{len(group)} |"
        )
    lines += ["", "## Efficiency, two processes ÷ one, at each rate both ran", ""]
    lines += [
        "| scenario | answers/s | frames per CPU-s, two ÷ one | cross-process p99 ms (two) | held (one, two) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for scenario in sorted({record["scenario"] for record in records}):
        rates = sorted({record["rate"] for record in records if record["scenario"] == scenario})
        for rate in rates:
            one = [r for r in records if r["scenario"] == scenario and r["rate"] == rate and r["processes"] == 1]
            two = [r for r in records if r["scenario"] == scenario and r["rate"] == rate and r["processes"] > 1]
            ones = [r["fps_per_cpu"] for r in one if r["fps_per_cpu"]]
            twos = [r["fps_per_cpu"] for r in two if r["fps_per_cpu"]]
            if not ones or not twos:
                continue
            cross = _median([r["cross_latency_ms"]["p99"] for r in two if r["cross_latency_ms"]["p99"] is not None])
            held = (
                f"{sum(1 for r in one if r.get('held'))}/{len(one)}, {sum(1 for r in two if r.get('held'))}/{len(two)}"
            )
            ratio = (_median(twos) or 0) / (_median(ones) or 1)
            shown = "—" if cross is None else f"{cross:,.0f}"
            lines.append(f"| {scenario} | {rate:,.0f} | {ratio:.2f} | {shown} | {held} |")
    redis = [r["redis_cpu_session"] for r in records if "redis_cpu_session" in r]
    if redis:
        lines += ["", f"Redis's own CPU over a two-process session: median {_median(redis):.3f} of a core."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run: checks that S11 runs")
    parser.add_argument("--runs", type=int, default=None, help="repetitions (default 2, smoke 1)")
    parser.add_argument("--only", default="S1,S2")
    parser.add_argument("--s1-rates", default=None, help="S1's ramp, answers/s (default: make bench's)")
    parser.add_argument("--s2-rates", default=None, help="S2's ramp, answers/s (default: make bench's)")
    parser.add_argument("--keep", default=None, help="keep logs, specs and databases in this folder")
    parser.add_argument("--out", default=None, help="default bench/results/<date>-scaleout.md")
    parser.add_argument(
        "--profile",
        default=None,
        help="sample every server process with py-spy over each measured window, into this folder",
    )
    parser.add_argument("--render", default=None, help="only render the records of this .json again")
    arguments = parser.parse_args()
    arguments.runs = arguments.runs or (1 if arguments.smoke else 2)
    if arguments.render:
        records = json.loads(Path(arguments.render).read_text())
        print(render(records, max(record["run"] for record in records) + 1, 0.0))
        return
    os.sched_setaffinity(0, {GENERATOR_CORE})
    started = time.monotonic()
    records = asyncio.run(benchmark(arguments))
    report = render(records, arguments.runs, time.monotonic() - started)
    print(report)
    if arguments.smoke and not arguments.out:
        return
    out = Path(arguments.out) if arguments.out else RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-scaleout.md"
    out.write_text(report)
    out.with_suffix(".json").write_text(json.dumps(records, indent=1))
    print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
