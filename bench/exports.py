"""The report exports alone: each format's build of a staged meeting of N answers, in CPU seconds.

A meeting as the Polis replay leaves it (``bench/replay.py``: one open question allocated to 50
rooms, ten people a room, N statements spread over the rooms, everyone upvoting a few answers of
their room, a confirmed finding per room citing its most-voted answer, the meeting at report-back)
is written to a fresh SQLite file, then each format is built as the export worker builds it
(``app.reports.rendering.build_report_from``: the material read from the file, the report
assembled and checked, the file made). The time is the CPU of this process plus that of its
children (LibreOffice, for the PDF), so other work on a shared machine moves it little.

    python -m bench.exports [--sizes 300,1000,2000] [--formats markdown,docx,pdf] [--runs 1]
                            [--profile DIR] [--data DIR] [--keep DIR]

``--profile DIR`` writes a cProfile of each build of the largest size (``DIR/<format>-<N>.prof``,
read with ``python -m pstats``; for the PDF it holds only this process, LibreOffice is a child).
It runs against any checkout from that checkout's root (it uses only the staging models and the
export worker's entry point), so two versions compare back to back.

The statements are Polis open data (see ``bench/texts.py`` for the attribution).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from app.answers.models import Answer, Vote
from app.auth.models import Account
from app.database import create_database, utcnow
from app.findings.models import Finding, FindingSource
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.plenary.disclosure import ORGANISER_REPORT
from app.plenary.grouping import forget_recent_groupings
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import Anonymity, Phase, QuestionKind, QuestionState, Role, Visibility
from bench.stage import ORGANISER_EMAIL, prepare_database
from bench.texts import POLIS_ATTRIBUTION, POLIS_DIR, load_statements

ROOMS = 50
PEOPLE_PER_ROOM = 10
VOTES_PER_PERSON = 3
FORMATS = ("markdown", "docx", "pdf")
SEED = 13


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


async def stage(path: Path, answers: int, data: Path, rooms: int = ROOMS) -> tuple[str, uuid.UUID]:
    """A fresh database at ``path`` holding the meeting of ``answers`` statements; its URL and id."""
    url = await prepare_database(path)
    statements = [" ".join(s.split()) for s in load_statements(data)]
    rng = random.Random(SEED)
    now = utcnow()
    database = create_database(url)
    try:
        async with database.write_sessions() as session:
            owner = (await session.execute(select(Account.id).where(Account.email == ORGANISER_EMAIL))).scalar_one()
            meeting = Meeting(
                owner_id=owner,
                title="Polis replay",
                languages=["en"],
                phase=Phase.REPORT_BACK,
                join_code=uuid.uuid4().hex[:8].upper(),
            )
            session.add(meeting)
            await session.flush()
            room_rows = [Room(meeting_id=meeting.id, name=f"Room {n + 1}", position=n) for n in range(rooms)]
            question = Question(
                meeting_id=meeting.id,
                code="Q1",
                text="What should change first, and why?",
                kind=QuestionKind.OPEN,
                options=[],
                scale_labels={},
                anonymity=Anonymity.ANONYMOUS_TO_PEERS,
                visibility=Visibility.LIVE,
            )
            session.add_all([*room_rows, question])
            await session.flush()
            session.add_all(
                Allocation(room_id=room.id, question_id=question.id, state=QuestionState.CLOSED, pushed_at=now)
                for room in room_rows
            )
            people: dict[int, list[uuid.UUID]] = defaultdict(list)
            participant_rows = []
            for index, room in enumerate(room_rows):
                for n in range(PEOPLE_PER_ROOM):
                    person = uuid.uuid4()
                    number = index * PEOPLE_PER_ROOM + n + 1
                    people[index].append(person)
                    participant_rows.append(
                        {
                            "id": person,
                            "meeting_id": meeting.id,
                            "display_name": f"Participant {number}",
                            "pseudonym": f"P{number}",
                            "role": Role.PARTICIPANT,
                            "room_id": room.id,
                            "gender": ("female", "male", None)[number % 3],
                            "created_at": now,
                        }
                    )
            await session.execute(insert(Participant), participant_rows)
            answer_rows: list[dict[str, object]] = []
            by_room: dict[int, list[tuple[uuid.UUID, uuid.UUID]]] = defaultdict(list)
            for n in range(answers):
                index = rng.randrange(rooms)
                author = rng.choice(people[index])
                answer_id = uuid.uuid4()
                by_room[index].append((answer_id, author))
                answer_rows.append(
                    {
                        "id": answer_id,
                        "meeting_id": meeting.id,
                        "room_id": room_rows[index].id,
                        "question_id": question.id,
                        "author_id": author,
                        "client_id": f"staged-{n}",
                        "text": statements[n % len(statements)],
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            await session.execute(insert(Answer), answer_rows)
            votes: list[dict[str, object]] = []
            tally: dict[uuid.UUID, int] = defaultdict(int)
            for index, given in by_room.items():
                for person in people[index]:
                    others = [answer for answer, author in given if author != person]
                    for answer in rng.sample(others, min(VOTES_PER_PERSON, len(others))):
                        votes.append({"answer_id": answer, "participant_id": person})
                        tally[answer] += 1
            if votes:
                await session.execute(insert(Vote), votes)
            for index, given in sorted(by_room.items()):
                cited = max(given, key=lambda pair: tally[pair[0]])[0]
                text = next(row["text"] for row in answer_rows if row["id"] == cited)
                finding = Finding(
                    meeting_id=meeting.id,
                    room_id=room_rows[index].id,
                    question_id=question.id,
                    text=f"The room agrees: {text}",
                    status="confirmed",
                    author_id=people[index][0],
                    confirmed_at=now,
                )
                session.add(finding)
                await session.flush()
                session.add(FindingSource(finding_id=finding.id, answer_id=cited))
            await session.commit()
            return url, meeting.id
    finally:
        await database.dispose()


def build(kind: str, url: str, meeting_id: uuid.UUID) -> bytes:
    """The export as the worker builds it (material read from the file, assembled, checked, made)."""
    from app.reports.rendering import MaterialSource, build_report_from

    now = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    return build_report_from(kind, MaterialSource(url, meeting_id), ORGANISER_REPORT, now, None)  # type: ignore[arg-type]


def measure(kind: str, url: str, meeting_id: uuid.UUID, profile: Path | None) -> tuple[float, int]:
    """CPU seconds of one build, and the size of its file. The merge keeps what it read from each
    text between groupings (the server's process, computing the plenary view again and again); the
    export worker is a process of its own, whose first export of a meeting starts cold, so each
    build here does too."""
    forget_recent_groupings()
    profiler = cProfile.Profile() if profile is not None else None
    started = _cpu()
    if profiler is not None:
        profiler.enable()
    content = build(kind, url, meeting_id)
    if profiler is not None:
        profiler.disable()
    spent = _cpu() - started
    if profiler is not None and profile is not None:
        profiler.dump_stats(str(profile))
    return spent, len(content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000,2000", help="answers in the staged meeting, comma-separated")
    parser.add_argument("--formats", default=",".join(FORMATS), help="markdown, docx, pdf, json")
    parser.add_argument("--runs", type=int, default=1, help="builds of each format and size (the median is shown)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of each build of the largest size here")
    parser.add_argument(
        "--data", type=Path, default=POLIS_DIR, help="Polis comments.csv files (default: bench/data/polis)"
    )
    parser.add_argument("--keep", type=Path, help="stage the databases here and keep them")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    formats = args.formats.split(",")
    # The report code's imports (numpy, scipy, python-docx) are the worker's once, not each export's.
    build("json", *asyncio.run(stage(Path(tempfile.mkdtemp()) / "warm.sqlite", 20, args.data, rooms=2)))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-exports-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(f"| answers | {' | '.join(f'{kind} CPU-s' for kind in formats)} |")
    print("|---" * (len(formats) + 1) + "|")
    for size in sizes:
        url, meeting_id = asyncio.run(stage(folder / f"meeting-{size}.sqlite", size, args.data))
        cells = []
        for kind in formats:
            spent = []
            for _ in range(args.runs):
                profile = args.profile / f"{kind}-{size}.prof" if args.profile and size == max(sizes) else None
                seconds, length = measure(kind, url, meeting_id, profile)
                spent.append(seconds)
                print(f"  {size} answers, {kind}: {seconds:.2f} CPU-s, {length:,} bytes", file=sys.stderr, flush=True)
            cells.append(f"{statistics.median(spent):.2f}")
        print(f"| {size:,} | {' | '.join(cells)} |", flush=True)
    print(f"\n{POLIS_ATTRIBUTION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
