"""Benchmark of the plenary merge: 10,000 answers from 100 rooms, built from real consultation text.

Every room answers one shared open question (the plenary's worst case: all answers are grouped
together). The answers are the Polis statements of bench/data/polis, cycled, each copy after
the first with a small seeded edit (a word dropped or swapped, a letter transposed, case or
punctuation changed); there are 20 participants per room, random upvotes and two confirmed
findings per room, each citing two of its answers.

It times, as the median of ``--runs`` runs:

- ``merge``: the plenary step end to end in memory, from the loaded material to the finished
  view (visibility, authors, top answers per room, counts, the cross-room grouping with
  curation, provenance of every group member) — what ``GET /plenary`` computes after its
  queries; "cold" groups every question from scratch (everything kept forgotten),
  "incremental" is a rebuild after ``--new-answers`` more answers arrived (the answers before
  unchanged), "warm" a rebuild with the answers unchanged (the grouping keeps its last results,
  see app/plenary/grouping.py);
- ``GET /plenary``: the same through the HTTP API on a fresh SQLite database (queries, merge,
  JSON), unless ``--no-http``.

    .venv/bin/python bench/plenary.py [--answers 10000] [--rooms 100] [--runs 5] [--new-answers 5] [--no-http]

Data: gathered using the Polis software (compdemocracy.org/polis) and sub-licensed under CC BY 4.0
with Attribution to The Computational Democracy Project (compdemocracy/openData,
https://compdemocracy.org/case-studies/); licence https://creativecommons.org/licenses/by/4.0/.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import pickle
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.answers.models import Answer, Vote
from app.auth.service import create_account
from app.database import Base
from app.findings.models import Finding, FindingSource
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.plenary.disclosure import STAFF
from app.plenary.grouping import forget_recent_groupings
from app.plenary.material import Material
from app.plenary.merge import build_plenary
from app.plenary.records import AnswerRecord
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import Anonymity, FindingStatus, Phase, QuestionKind, QuestionState, Role, Visibility
from bench.texts import POLIS_DIR, load_statements

ATTRIBUTION = (
    "Answer texts: Polis open data (compdemocracy.org/polis), CC BY 4.0, "
    "The Computational Democracy Project; lightly edited copies."
)
PEOPLE_PER_ROOM = 20
FINDINGS_PER_ROOM = 2
PASSWORD = "benchmark passphrase, long enough"
# Every record is stamped with this moment, not the clock: two runs (or the code of two
# branches) build the same material, so their views can be compared byte for byte (--digest).
STAMP = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def edited(text: str, rng: random.Random) -> str:
    words = text.split()
    kind = rng.randrange(4) if len(words) > 4 else 3
    if kind == 0:
        del words[rng.randrange(len(words))]
    elif kind == 1:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif kind == 2:
        i = max(range(len(words)), key=lambda k: len(words[k]))
        word = words[i]
        if len(word) > 3:
            j = rng.randrange(1, len(word) - 2)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    else:
        words = [word.lower() for word in words]
    return " ".join(words).rstrip(".") + rng.choice(("", ".", "!"))


def build_material(statements: list[str], n_answers: int, n_rooms: int, seed: int) -> Material:
    """A meeting's material as the repository would load it, built in memory (ids set here)."""
    rng = random.Random(seed)

    def new_id() -> uuid.UUID:
        # Seeded ids: the grouping orders items by key, so a rerun groups exactly alike.
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    now = STAMP
    meeting = Meeting(
        id=new_id(),
        owner_id=new_id(),
        title="Plenary benchmark",
        description="",
        languages=["en"],
        phase=Phase.REPORT_BACK,
        join_code="BENCH1",
        created_at=now,
    )
    rooms = [
        Room(id=new_id(), meeting_id=meeting.id, name=f"Room {n + 1}", theme="", position=n) for n in range(n_rooms)
    ]
    question = Question(
        id=new_id(),
        meeting_id=meeting.id,
        code="S1",
        theme="Shared",
        kind=QuestionKind.OPEN,
        text="What single recommendation should the position paper make?",
        options=[],
        scale_labels={},
        anonymity=Anonymity.ANONYMOUS_TO_PEERS,
        visibility=Visibility.LIVE,
        position=0,
    )
    allocations = [
        Allocation(id=new_id(), room_id=room.id, question_id=question.id, position=0, state=QuestionState.CLOSED)
        for room in rooms
    ]
    roster = {}
    seats: list[list[uuid.UUID]] = []
    for room in rooms:
        seats.append([])
        for _ in range(PEOPLE_PER_ROOM):
            person = Participant(
                id=new_id(),
                meeting_id=meeting.id,
                display_name=f"P{len(roster)}",
                pseudonym=f"Pseudonym {len(roster)}",
                role=Role.PARTICIPANT,
                room_id=room.id,
                erased_at=None,
            )
            roster[person.id] = person
            seats[-1].append(person.id)
    answers = []
    for index in range(n_answers):
        source = statements[index % len(statements)]
        room_index = index % n_rooms
        answers.append(
            AnswerRecord(
                id=new_id(),
                room_id=rooms[room_index].id,
                question_id=question.id,
                author_id=rng.choice(seats[room_index]),
                hidden=False,
                pinned=False,
                choice_ids=None,
                scale_value=None,
                merged_into_id=None,
                created_at=now,
                text=source if index < len(statements) else edited(source, rng),
            )
        )
    votes = {answer.id: rng.randrange(8) for answer in answers if rng.random() < 0.5}
    findings, finding_sources = [], {}
    by_room: dict[uuid.UUID, list[AnswerRecord]] = {}
    for answer in answers:
        by_room.setdefault(answer.room_id, []).append(answer)
    for room in rooms:
        for position in range(FINDINGS_PER_ROOM):
            cited = rng.sample(by_room.get(room.id, []), k=min(2, len(by_room.get(room.id, []))))
            finding = Finding(
                id=new_id(),
                meeting_id=meeting.id,
                room_id=room.id,
                question_id=question.id,
                text=cited[0].text if cited else "A finding",
                position=position,
                status=FindingStatus.CONFIRMED,
                confirmed_at=now,
                created_at=now,
                updated_at=now,
            )
            findings.append(finding)
            finding_sources[finding.id] = [answer.id for answer in cited]
    return Material(
        meeting=meeting,
        rooms=rooms,
        questions=[question],
        allocations=allocations,
        answers=answers,
        votes=votes,
        merge_sources={},
        roster=roster,
        findings=findings,
        finding_sources=finding_sources,
        endorsements={},
        curated=[],
        state=None,
    )


def arriving_materials(
    material: Material, statements: list[str], runs: int, per_run: int, seed: int
) -> Iterator[Material]:
    """The material with `per_run` more answers each time (new ids, edited statements, rooms in
    turn), the answers before unchanged: what the plenary sees as rooms keep reporting."""
    rng = random.Random(seed + 1)
    answers = list(material.answers)
    template = answers[0]
    room_ids = [room.id for room in material.rooms]
    for _run in range(runs):
        for _ in range(per_run):
            answers.append(
                replace(
                    template,
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    room_id=room_ids[len(answers) % len(room_ids)],
                    text=edited(edited(rng.choice(statements), rng), rng),
                )
            )
        yield replace(material, answers=list(answers))


def timed(runs: int, step: Callable[[], object], label: str, digest: bool = False) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time tells a busy machine from a slow step);
    with `digest`, each run's view digest is printed (computed after the timing)."""
    seconds, cpu = [], []
    for run in range(1, runs + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = step()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        print(f"  {label} run {run}/{runs}: {seconds[-1]:.3f} s ({cpu[-1]:.3f} s CPU)", file=sys.stderr, flush=True)
        if digest:
            print(f"  {label} run {run}/{runs} view digest: {view_digest(result)}", flush=True)
    return seconds, cpu


def view_digest(view: object) -> str:
    """SHA-256 of the view's JSON form, pickled: equal digests, equal views."""
    if not isinstance(view, BaseModel):
        raise TypeError(f"a view is a model, not {type(view).__name__}")
    dumped = view.model_dump(mode="json")
    return hashlib.sha256(pickle.dumps(dumped, protocol=5)).hexdigest()


async def time_http(material: Material, runs: int) -> list[float]:
    """Store the material in a fresh SQLite database and time ``GET /plenary`` as its organiser."""
    from app.main import create_app
    from app.migrations_path import upgrade
    from app.settings import Settings

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{directory}/bench.db"
        upgrade(url)
        settings = Settings(
            environment="test",
            database_url=url,
            secret_key="bench-secret-key-long-enough-to-sign",
            public_base_url="http://bench",
            allowed_origins=["http://bench"],
            static_dir=Path("/nonexistent"),
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            database = app.state.breakouts.database
            async with database.write_sessions() as session:
                account = await create_account(session, "bench@example.org", "Bench", PASSWORD)
                material.meeting.owner_id = account.id
                # In dependency order: the tables have foreign keys but the models no relationships.
                batches: list[list[Base]] = [[material.meeting], [*material.rooms, *material.questions]]
                answers = [
                    Answer(
                        id=a.id,
                        meeting_id=material.meeting.id,
                        room_id=a.room_id,
                        question_id=a.question_id,
                        author_id=a.author_id,
                        client_id=f"bench-{n}",
                        text=a.text,
                        created_at=a.created_at,
                    )
                    for n, a in enumerate(material.answers)
                ]
                batches += [[*material.allocations, *material.roster.values()], [*answers], [*material.findings]]
                for batch in batches:
                    session.add_all(batch)
                    await session.flush()
                session.add_all(
                    FindingSource(finding_id=f, answer_id=a) for f, ids in material.finding_sources.items() for a in ids
                )
                seated: dict[uuid.UUID, list[uuid.UUID]] = {}
                for person in material.roster.values():
                    seated.setdefault(person.room_id or material.rooms[0].id, []).append(person.id)
                room_of = {answer.id: answer.room_id for answer in material.answers}
                session.add_all(
                    Vote(answer_id=answer_id, participant_id=voter)
                    for answer_id, count in material.votes.items()
                    for voter in seated[room_of[answer_id]][:count]
                )
                await session.commit()
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                login = await http.post("/api/auth/login", json={"email": "bench@example.org", "password": PASSWORD})
                login.raise_for_status()
                seconds = []
                for run in range(1, runs + 1):
                    started = time.perf_counter()
                    response = await http.get(f"/api/meetings/{material.meeting.id}/plenary")
                    response.raise_for_status()
                    seconds.append(time.perf_counter() - started)
                    print(
                        f"  GET /plenary run {run}/{runs}: {seconds[-1]:.3f} s ({len(response.content):,} bytes)",
                        file=sys.stderr,
                        flush=True,
                    )
                return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20161231)
    parser.add_argument("--data", type=Path, default=POLIS_DIR)
    parser.add_argument("--new-answers", type=int, default=5, help="answers arriving before each incremental build")
    parser.add_argument("--no-http", action="store_true", help="skip the GET /plenary measurement")
    parser.add_argument(
        "--digest",
        action="store_true",
        help="print a SHA-256 of every view built (JSON form, pickled): equal digests, equal views",
    )
    args = parser.parse_args()

    statements = load_statements(args.data)
    material = build_material(statements, args.answers, args.rooms, args.seed)
    print(ATTRIBUTION)
    print(
        f"{len(material.answers)} answers and {len(material.findings)} findings in {len(material.rooms)} rooms "
        f"from {len(statements)} statements; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
        flush=True,
    )
    view = build_plenary(material, STAFF)
    groups = view.themes[0].questions[0].groups
    themes = {group.theme_id for group in groups}
    print(
        f"{len(groups)} groups of two or more ({sum(1 for g in groups if g.room_count > 1)} spanning rooms, "
        f"widest {max((g.room_count for g in groups), default=0)} rooms) in {len(themes)} themes",
        flush=True,
    )

    def cold() -> object:
        forget_recent_groupings()
        return build_plenary(material, STAFF)

    arrivals = arriving_materials(material, statements, args.runs, args.new_answers, args.seed)

    def incremental() -> object:
        # A few answers more than the build before (the same answers otherwise), as rooms report in.
        return build_plenary(next(arrivals), STAFF)

    for label, step in (
        ("cold", cold),
        (f"incremental, {args.new_answers} new answers", incremental),
        ("warm", lambda: build_plenary(material, STAFF)),
    ):
        if label.startswith("incremental"):
            build_plenary(material, STAFF)  # the build before the first arrival
        merge, cpu = timed(args.runs, step, f"merge {label}", args.digest)
        print(
            f"plenary merge (in memory, end to end, {label}): median {statistics.median(merge):.3f} s "
            f"(CPU median {statistics.median(cpu):.3f} s), min {min(merge):.3f} s, max {max(merge):.3f} s",
            flush=True,
        )
    if not args.no_http:
        http = asyncio.run(time_http(build_material(statements, args.answers, args.rooms, args.seed), args.runs))
        print(
            f"GET /plenary on SQLite (queries + merge + JSON): median {statistics.median(http):.3f} s, "
            f"min {min(http):.3f} s, max {max(http):.3f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
