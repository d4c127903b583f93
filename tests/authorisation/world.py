"""A whole meeting in one state, written straight through the ORM in one transaction, with a session
token for every role: each cell of the authorisation matrix gets a fresh one in a few milliseconds.

The world (meeting phase and assignment mode per ``WorldOptions``):

- the organiser's account owns the meeting; the stranger's account owns another meeting;
- rooms A and B (each with a moderator registered in ``room_moderators``, participants and a live
  question) and an empty room C that may be deleted;
- participant_a and peer_a sit in A, participant_b in B, the observer in no room;
- ``q_live`` is allocated to A and B and live in both (an anonymous-to-peers open question);
  ``q_pending`` is allocated to A and B and pending; ``q_b`` is allocated to B only;
- answers to ``q_live``: ``answer_a`` (participant_a) and ``answer_a2`` (peer_a) in A, ``answer_b``
  (participant_b) in B;
- findings: a draft and a proposed one in A, a proposed one in B;
- a timer of room A, a meeting-wide timer, room A's open help request, participant_a's raised hand, a broadcast, an open invite
  to room A, an agenda item, two curated plenary groups of ``q_live`` and a shared report link.
"""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer
from app.auth.models import Account, AuthSession, Invite
from app.auth.secrets import new_session_token
from app.database import utcnow
from app.facilitation.models import Broadcast, HelpRequest, Timer
from app.findings.models import Finding, FindingSource
from app.hands.models import RaisedHand
from app.meetings.models import AgendaItem, Meeting
from app.participants.models import Participant
from app.plenary.models import CuratedGroup
from app.questions.models import Allocation, Question
from app.rooms.models import Room, RoomModerator
from app.state import AppState
from app.vocabulary import AssignmentMode, HandStatus, Phase

# The theme the organiser put group_1 in (a curated group in a theme of its own: "named:<name>").
GROUP_1_THEME = "Training"
DRAFT_FINDING_TEXT = "Draft finding that only the staff of room A may read"


@dataclass(frozen=True)
class Person:
    """Someone on the roster, with the personal data that only organisers may see."""

    id: uuid.UUID
    name: str
    email: str
    gender: str


@dataclass(frozen=True)
class WorldOptions:
    phase: Phase = Phase.BREAKOUTS
    assignment_mode: AssignmentMode = AssignmentMode.MANUAL
    # Room A may call for help only while it has no open request.
    help_open_in_a: bool = True
    # participant_a may raise a hand only while theirs is not up already.
    hand_open_in_a: bool = True
    # A question can be pushed in room A only while no other is live there.
    live_in_a: bool = True
    # A countdown can be cancelled or extended only while one is running.
    closing: bool = False


@dataclass(frozen=True)
class World:
    meeting_id: uuid.UUID
    agenda_item: uuid.UUID
    invite: uuid.UUID
    room_a: uuid.UUID
    room_b: uuid.UUID
    room_c: uuid.UUID
    moderator_a: uuid.UUID
    moderator_b: uuid.UUID
    participant_a: uuid.UUID
    peer_a: uuid.UUID
    participant_b: uuid.UUID
    observer: uuid.UUID
    q_live: uuid.UUID
    q_pending: uuid.UUID
    q_b: uuid.UUID
    answer_a: uuid.UUID
    answer_a2: uuid.UUID
    answer_b: uuid.UUID
    finding_draft_a: uuid.UUID
    finding_proposed_a: uuid.UUID
    finding_proposed_b: uuid.UUID
    timer_a: uuid.UUID
    timer_meeting: uuid.UUID
    help_a: uuid.UUID
    hand_a: uuid.UUID
    group_1: uuid.UUID
    group_2: uuid.UUID
    # The id behind the meeting's shared report link.
    report_token_id: uuid.UUID
    # The id behind the meeting's projector link.
    projector_token_id: uuid.UUID
    # The stranger's own meeting, its one room and the one question allocated there.
    stranger_meeting: uuid.UUID
    stranger_room: uuid.UUID
    stranger_question: uuid.UUID
    join_code: str
    # Bearer tokens by role (the anonymous caller has none).
    tokens: Mapping[str, str]
    # Roster entries by role key (moderator_a … observer, and peer_a).
    people: Mapping[str, Person]


def phantom(world: World, keep: tuple[str, ...] = ()) -> World:
    """The same world with every id (but those named in ``keep``) replaced by one that exists
    nowhere; the sessions stay."""
    fresh = {
        f.name: uuid.uuid4()
        for f in dataclasses.fields(world)
        if isinstance(getattr(world, f.name), uuid.UUID) and f.name not in keep
    }
    return dataclasses.replace(world, **fresh)


# role key -> (roster role, room letter or None, gender)
ROSTER = {
    "moderator_a": ("moderator", "a", "female"),
    "moderator_b": ("moderator", "b", "male"),
    "participant_a": ("participant", "a", "another"),
    "peer_a": ("participant", "a", "female"),
    "participant_b": ("participant", "b", "male"),
    "observer": ("observer", None, "undisclosed"),
}


async def build_worlds(app: FastAPI, count: int, options: WorldOptions = WorldOptions()) -> list[World]:
    """``count`` independent worlds, written in one transaction (a flush per kind of row)."""
    state: AppState = app.state.breakouts
    plans = [_plan() for _ in range(count)]
    async with state.database.write_sessions() as session:
        # Flushed in dependency order: the foreign keys are checked as each batch goes in.
        for batch in (_meetings, _rooms, _people, _preparation, _allocations, _answers, _outcomes):
            for ids, tag, people in plans:
                session.add_all(batch(ids, tag, options, people))
            await session.flush()
        worlds = [
            World(
                **{name: value for name, value in ids.items() if name not in ("owner", "stranger")},
                join_code=f"A{tag.upper()}",
                tokens=_sessions(session, ids, people),
                people=people,
            )
            for ids, tag, people in plans
        ]
        await session.commit()
    return worlds


async def build_world(app: FastAPI, options: WorldOptions = WorldOptions()) -> World:
    return (await build_worlds(app, 1, options))[0]


def _plan() -> tuple[dict[str, uuid.UUID], str, dict[str, Person]]:
    """A world's ids, its tag (keeps names, emails and codes unique) and its people."""
    tag = secrets.token_hex(4)
    ids = {f.name: uuid.uuid4() for f in dataclasses.fields(World) if f.type == "uuid.UUID"}
    ids |= {"owner": uuid.uuid4(), "stranger": uuid.uuid4()}
    people = {
        key: Person(ids[key], f"{key.replace('_', ' ').title()} Authz{tag}", f"{key}.{tag}@authz.example", gender)
        for key, (_, _, gender) in ROSTER.items()
    }
    return ids, tag, people


Ids = dict[str, uuid.UUID]


def _meetings(ids: Ids, tag: str, options: WorldOptions, _: dict[str, Person]) -> list[object]:
    return [
        Account(id=ids["owner"], email=f"owner.{tag}@authz.example", display_name="Owner", password_hash="!"),
        Account(id=ids["stranger"], email=f"stranger.{tag}@authz.example", display_name="Other", password_hash="!"),
        Meeting(
            id=ids["meeting_id"],
            owner_id=ids["owner"],
            title=f"Authorisation world {tag}",
            languages=["en"],
            phase=options.phase,
            assignment_mode=options.assignment_mode,
            join_code=f"A{tag.upper()}",
            report_token_id=ids["report_token_id"],
            projector_token_id=ids["projector_token_id"],
            breakouts_close_at=utcnow() + timedelta(minutes=5) if options.closing else None,
            breakouts_next_phase=Phase.REPORT_BACK if options.closing else None,
        ),
        Meeting(id=ids["stranger_meeting"], owner_id=ids["stranger"], title="Elsewhere", languages=["en"],
                join_code=f"S{tag.upper()}"),
    ]  # fmt: skip


def _rooms(ids: Ids, *_: object) -> list[object]:
    rooms: list[object] = [Room(id=ids["stranger_room"], meeting_id=ids["stranger_meeting"], name="Elsewhere")]
    rooms += [
        Room(id=ids[f"room_{letter}"], meeting_id=ids["meeting_id"], name=f"Room {letter.upper()}", position=position)
        for position, letter in enumerate("abc")
    ]
    return rooms


def _people(ids: Ids, tag: str, options: WorldOptions, people: dict[str, Person]) -> list[object]:
    return [
        Participant(
            id=people[key].id,
            meeting_id=ids["meeting_id"],
            display_name=people[key].name,
            pseudonym=f"Participant {key}",
            email=people[key].email,
            organisation="Ministry of Tests",
            organisation_type="ministry",
            gender=gender,
            role=role,
            room_id=ids[f"room_{letter}"] if letter else None,
        )
        for key, (role, letter, gender) in ROSTER.items()
    ]


def _preparation(ids: Ids, tag: str, options: WorldOptions, _: dict[str, Person]) -> list[object]:
    meeting, now = ids["meeting_id"], utcnow()
    question = {"meeting_id": meeting, "kind": "open", "options": [], "scale_labels": {}, "visibility": "live"}
    # Anonymous to peers: no participant or observer should ever read another person's name.
    question["anonymity"] = "anonymous_to_peers"
    return [
        RoomModerator(room_id=ids["room_a"], participant_id=ids["moderator_a"]),
        RoomModerator(room_id=ids["room_b"], participant_id=ids["moderator_b"]),
        AgendaItem(id=ids["agenda_item"], meeting_id=meeting, title="Welcome", kind="talk"),
        Invite(id=ids["invite"], meeting_id=meeting, role="participant", room_id=ids["room_a"]),
        Broadcast(meeting_id=meeting, message="Welcome, everyone"),
        Timer(id=ids["timer_a"], meeting_id=meeting, room_id=ids["room_a"], ends_at=now + timedelta(minutes=10)),
        Timer(id=ids["timer_meeting"], meeting_id=meeting, ends_at=now + timedelta(minutes=30)),
        HelpRequest(
            id=ids["help_a"],
            meeting_id=meeting,
            room_id=ids["room_a"],
            requested_by=ids["participant_a"],
            message="We cannot hear each other",
            resolved_at=None if options.help_open_in_a else now,
        ),
        RaisedHand(
            id=ids["hand_a"],
            meeting_id=meeting,
            room_id=ids["room_a"],
            participant_id=ids["participant_a"],
            open_participant_id=ids["participant_a"] if options.hand_open_in_a else None,
            status=HandStatus.RAISED if options.hand_open_in_a else HandStatus.LOWERED,
            lowered_at=None if options.hand_open_in_a else now,
        ),
        Question(id=ids["q_live"], code="Q1", text="What should change?", position=0, **question),
        Question(id=ids["q_pending"], code="Q2", text="Who should act?", position=1, **question),
        Question(id=ids["q_b"], code="Q3", text="Only for room B?", position=2, **question),
        Question(id=ids["stranger_question"], **{**question, "meeting_id": ids["stranger_meeting"]}, text="Elsewhere?"),
    ]


def _allocations(ids: Ids, tag: str, options: WorldOptions, _: dict[str, Person]) -> list[object]:
    live_in_a = "live" if options.live_in_a else "closed"
    return [
        Allocation(room_id=ids["room_a"], question_id=ids["q_live"], state=live_in_a, pushed_at=utcnow()),
        Allocation(room_id=ids["room_a"], question_id=ids["q_pending"], position=1),
        Allocation(room_id=ids["room_b"], question_id=ids["q_live"], state="live", pushed_at=utcnow()),
        Allocation(room_id=ids["room_b"], question_id=ids["q_pending"], position=1),
        Allocation(room_id=ids["room_b"], question_id=ids["q_b"], position=2),
        Allocation(room_id=ids["stranger_room"], question_id=ids["stranger_question"]),
    ]


def _answers(ids: Ids, *_: object) -> list[object]:
    return [
        Answer(
            id=ids[answer],
            meeting_id=ids["meeting_id"],
            room_id=ids[room],
            question_id=ids["q_live"],
            author_id=ids[author],
            client_id=f"world-{answer}",
            text=text,
        )
        for answer, room, author, text in (
            ("answer_a", "room_a", "participant_a", "Train border officials together"),
            ("answer_a2", "room_a", "peer_a", "Share data across agencies"),
            ("answer_b", "room_b", "participant_b", "Protect the smuggled migrants"),
        )
    ]


def _outcomes(ids: Ids, *_: object) -> list[object]:
    meeting, q_live = ids["meeting_id"], ids["q_live"]
    return [
        Finding(id=ids["finding_draft_a"], meeting_id=meeting, room_id=ids["room_a"], text=DRAFT_FINDING_TEXT),
        Finding(id=ids["finding_proposed_a"], meeting_id=meeting, room_id=ids["room_a"], question_id=q_live,
                text="Joint training works", position=1, status="proposed"),
        Finding(id=ids["finding_proposed_b"], meeting_id=meeting, room_id=ids["room_b"], question_id=q_live,
                text="Victims, not criminals", status="proposed"),
        FindingSource(finding_id=ids["finding_proposed_a"], answer_id=ids["answer_a"]),
        CuratedGroup(id=ids["group_1"], meeting_id=meeting, question_id=q_live, theme_label=GROUP_1_THEME,
                     member_keys=sorted([f"answer:{ids['answer_a']}", f"answer:{ids['answer_a2']}"])),
        CuratedGroup(id=ids["group_2"], meeting_id=meeting, question_id=q_live, member_keys=[f"answer:{ids['answer_b']}"]),
    ]  # fmt: skip


def _sessions(session: AsyncSession, ids: Ids, people: dict[str, Person]) -> dict[str, str]:
    """A live session per role, as a sign-in or an opened invite would make; returns the tokens."""
    subjects: dict[str, dict[str, uuid.UUID]] = {
        "organiser": {"account_id": ids["owner"]},
        "stranger": {"account_id": ids["stranger"]},
        **{key: {"participant_id": person.id} for key, person in people.items()},
    }
    tokens: dict[str, str] = {}
    for role, subject in subjects.items():
        tokens[role], hashed = new_session_token()
        session.add(AuthSession(token_hash=hashed, expires_at=utcnow() + timedelta(hours=1), **subject))
    return tokens
