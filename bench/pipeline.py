"""The write pipeline alone: server CPU per durable answer and per vote, without sockets.

    python -m bench.pipeline [--answers 6000] [--votes 4000] [--batch 64]

Stages S2's meeting (20 rooms of 50, an open question live everywhere) on a fresh SQLite file,
starts the app in this process, and sends ``answer.submit`` (then ``answer.vote``) commands
straight to the process's command pipeline (``state.live.commands``), ``--batch`` at a time in
one loop tick, as a burst of sockets would; every command must be acknowledged. It reports the
CPU the process spent (all its threads: the event loop, the writer or driver threads) per
command, and commands per CPU-second: figures that hold on a busy machine, where wall-clock
rates do not. Fan-out is left out (nobody subscribes), so this is the part of S2 and S8 that
the pipeline owns. It runs against any checkout of the app that has ``state.live.commands``
(run it from that checkout's root) so that two versions compare on one machine, back to back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import uvicorn

from app.auth.access import Actor
from app.main import create_app
from app.realtime.protocol import Ack, AnswerSubmit, AnswerVote
from app.settings import Settings
from bench.stage import Layout, prepare_database, stage_meeting
from bench.texts import answer_texts


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _measure(commands: Any, items: list[tuple[Actor, Any]], batch: int) -> dict[str, float]:
    acked = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        results = await asyncio.gather(*(commands.run(actor, command) for actor, command in chunk))
        acked += sum(1 for result in results if isinstance(result, Ack))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "commands": len(items),
        "acked": acked,
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "cpu_ms_per_command": round(1000 * cpu / len(items), 3),
        "commands_per_cpu_s": round(len(items) / cpu, 1),
    }


async def run(arguments: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="breakouts-pipeline-"))
    url = await prepare_database(work / "pipeline.db")
    port = _free_port()
    settings = Settings(database_url=url, allowed_origins=[f"http://127.0.0.1:{port}"])  # type: ignore[call-arg]
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn's Server offers a flag, no event
        await asyncio.sleep(0.05)
    try:
        layout: Layout = await stage_meeting(f"http://127.0.0.1:{port}", url, 20, 50)
        commands = app.state.breakouts.live.commands
        rng = random.Random(7)
        texts = answer_texts()
        people = [
            (Actor(participant_id=uuid.UUID(p.participant_id or "")), layout.rooms[p.room]) for p in layout.people
        ]
        submits: list[tuple[Actor, Any]] = []
        for number in range(arguments.answers):
            actor, room = rng.choice(people)
            command = AnswerSubmit(
                id=f"a{number}",
                type="answer.submit",
                room_id=uuid.UUID(room),
                question_id=uuid.UUID(layout.question_id),
                text=texts[number % len(texts)],
            )
            submits.append((actor, command))
        answering = await _measure(commands, submits[:200], arguments.batch)  # warm-up: caches, statements
        answering = await _measure(commands, submits[200:], arguments.batch)
        # One answer per room to vote on, made by its first person; the others upvote it.
        targets = {}
        for number, (actor, room) in enumerate(people):
            if room not in targets:
                command = AnswerSubmit(
                    id=f"t{number}",
                    type="answer.submit",
                    room_id=uuid.UUID(room),
                    question_id=uuid.UUID(layout.question_id),
                    text="Vote for me",
                )
                result = await commands.run(actor, command)
                assert isinstance(result, Ack) and isinstance(result.result, dict), result
                targets[room] = (actor, uuid.UUID(result.result["id"]))
        votes = [
            (actor, AnswerVote(id=f"v{number}", type="answer.vote", answer_id=targets[room][1], upvote=True))
            for number, (actor, room) in enumerate(people)
            if targets[room][0] != actor
        ]
        voting = await _measure(commands, votes[: arguments.votes], arguments.batch)
        return {"batch": arguments.batch, "answers": answering, "votes": voting}
    finally:
        server.should_exit = True
        await serving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=6000)
    parser.add_argument("--votes", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=64)
    print(json.dumps(asyncio.run(run(parser.parse_args())), indent=1))


if __name__ == "__main__":
    main()
