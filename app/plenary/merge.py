"""The plenary merge: the rooms' material turned into one view per theme and question.

A pure computation over ``Material`` (no database): the service, the reports and the benchmark
all go through ``PlenaryBuilder``.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict

from app.collector import collection_paused
from app.findings.models import Finding
from app.plenary.curation import Item, build_groups, member_key, point_themes, ungrouped_members
from app.plenary.disclosure import Disclosure, is_shown, shown_author
from app.plenary.distributions import distribution, divergence, merged
from app.plenary.material import Material
from app.plenary.records import ShownAnswer
from app.plenary.schemas import (
    Distribution,
    PlenaryAnswer,
    PlenaryFinding,
    PlenaryFocus,
    PlenaryGroup,
    PlenaryQuestion,
    PlenaryRead,
    PlenaryTheme,
    RoomColumn,
    RoomRef,
    RoomSummary,
)
from app.questions.models import Question
from app.realtime.protocol import QuestionView
from app.rooms.models import Room
from app.vocabulary import FindingStatus, Phase, Role

# The answers each room shows per question: enough to convey its mood on a projector.
TOP_ANSWERS_PER_ROOM = 5
# How far a finding's citation follows answers merged into others (merges of merges).
MERGE_CHAIN_LIMIT = 10


def room_ref(room: Room) -> RoomRef:
    return RoomRef(id=room.id, name=room.name, theme=room.theme)


class PlenaryBuilder:
    def __init__(self, material: Material, disclosure: Disclosure) -> None:
        self.material = material
        self.disclosure = disclosure
        self.refs = {room.id: room_ref(room) for room in material.rooms}
        # Looked up per answer by the UUIDs' integers (a UUID hashes in Python code).
        closed = {question_id.int: rooms for question_id, rooms in material.closed_rooms().items()}
        questions = {question_id.int: question for question_id, question in material.question_by_id.items()}
        rooms = {room_id.int for room_id in self.refs}
        votes = material.votes
        no_rooms: frozenset[uuid.UUID] = frozenset()
        self.shown: list[ShownAnswer] = [
            ShownAnswer.of(answer, votes.get(answer.id, 0))
            for answer in material.answers
            if answer.question_id.int in questions
            and answer.room_id.int in rooms
            and is_shown(
                answer, questions[answer.question_id.int], closed.get(answer.question_id.int, no_rooms), disclosure
            )
        ]
        self.shown_by_id = {answer.id: answer for answer in self.shown}
        self._authors: dict[tuple[int, int], str | None] = {}
        self.by_room_question: dict[tuple[uuid.UUID, uuid.UUID], list[ShownAnswer]] = defaultdict(list)
        for answer in self.shown:
            self.by_room_question[(answer.room_id, answer.question_id)].append(answer)

    # --- items with provenance ---------------------------------------------------------------

    def author(self, answer: ShownAnswer) -> str | None:
        key = (answer.question_id.int, answer.author_id.int if answer.author_id is not None else -1)
        if key in self._authors:
            return self._authors[key]
        author = self.material.roster.get(answer.author_id) if answer.author_id is not None else None
        question = self.material.question_by_id[answer.question_id]
        shown = self._authors[key] = shown_author(question, author, self.disclosure.audience)
        return shown

    def answer(self, answer: ShownAnswer) -> PlenaryAnswer:
        question = self.material.question_by_id[answer.question_id]
        return PlenaryAnswer(
            id=answer.id,
            room_id=answer.room_id,
            room_name=self.refs[answer.room_id].name,
            question_id=answer.question_id,
            question_code=question.code,
            text=answer.text,
            choice_ids=answer.choice_ids,
            scale_value=answer.scale_value,
            author=self.author(answer),
            votes=answer.votes,
            pinned=answer.pinned,
            source_ids=self.material.merge_sources.get(answer.id, []),
            created_at=answer.created_at,
        )

    def cited_answers(self, finding: Finding) -> list[ShownAnswer]:
        """The answers a finding cites, as the reader may see them: an answer since merged into
        another stands for that one; hidden ones are left out."""
        cited: dict[uuid.UUID, ShownAnswer] = {}
        for answer_id in self.material.finding_sources.get(finding.id, []):
            answer = self.material.answer_by_id.get(answer_id)
            for _ in range(MERGE_CHAIN_LIMIT):
                if answer is None or answer.merged_into_id is None:
                    break
                answer = self.material.answer_by_id.get(answer.merged_into_id)
            shown = self.shown_by_id.get(answer.id) if answer is not None else None
            if shown is not None:
                cited.setdefault(shown.id, shown)
        return list(cited.values())

    def finding(self, finding: Finding) -> PlenaryFinding:
        question = self.material.question_by_id.get(finding.question_id) if finding.question_id else None
        status = FindingStatus(finding.status)
        return PlenaryFinding(
            id=finding.id,
            room_id=finding.room_id,
            room_name=self.refs[finding.room_id].name,
            question_id=finding.question_id,
            question_code=question.code if question is not None else None,
            text=finding.text,
            status="confirmed" if status is FindingStatus.CONFIRMED else "proposed",
            endorsements=self.material.endorsements.get(finding.id, 0),
            confirmed_at=finding.confirmed_at,
            sources=[self.answer(answer) for answer in self.cited_answers(finding)],
        )

    def confirmed_findings(self) -> list[Finding]:
        return [
            finding
            for finding in self.material.findings
            if finding.status == FindingStatus.CONFIRMED and finding.room_id in self.refs
        ]

    def _item_of_answer(self, answer: ShownAnswer, room_position: int) -> Item:
        return Item(
            key=member_key("answer", answer.id),
            kind="answer",
            id=answer.id,
            room=self.refs[answer.room_id],
            room_position=room_position,
            text=answer.text or "",
            votes=answer.votes,
            author=self.author(answer),
            answer_ids=[answer.id, *self.material.merge_sources.get(answer.id, [])],
        )

    def _item_of_finding(self, finding: Finding) -> Item:
        room = self.material.room_by_id[finding.room_id]
        return Item(
            key=member_key("finding", finding.id),
            kind="finding",
            id=finding.id,
            room=self.refs[room.id],
            room_position=room.position,
            text=finding.text,
            votes=0,
            author=None,
            answer_ids=[answer.id for answer in self.cited_answers(finding)],
        )

    # --- the view ----------------------------------------------------------------------------

    def question_items(self, question: Question, findings: list[Finding] | None = None) -> list[Item]:
        """What the question's groups are made of: its answers with text, its confirmed findings."""
        if findings is None:
            findings = [finding for finding in self.confirmed_findings() if finding.question_id == question.id]
        items = [
            self._item_of_answer(answer, room.position)
            for room in self.material.rooms
            for answer in self.by_room_question.get((room.id, question.id), [])
            if answer.has_text
        ]
        return items + [self._item_of_finding(finding) for finding in findings]

    def groups(
        self, question: Question, findings: list[Finding], rooms_answered: int, items: list[Item] | None = None
    ) -> list[PlenaryGroup]:
        curated = [row for row in self.material.curated if row.question_id == question.id]
        if items is None:
            items = self.question_items(question, findings)
        return build_groups(question.id, items, curated, rooms_answered)

    def question(
        self, question: Question, findings: list[Finding], participants: dict[uuid.UUID, int]
    ) -> PlenaryQuestion:
        allocated = {a.room_id for a in self.material.allocations if a.question_id == question.id}
        with_findings = {finding.room_id for finding in findings}
        rooms = [
            room
            for room in self.material.rooms
            if room.id in allocated or room.id in with_findings or (room.id, question.id) in self.by_room_question
        ]
        findings_of: dict[uuid.UUID, list[Finding]] = defaultdict(list)
        for finding in findings:
            findings_of[finding.room_id].append(finding)
        columns: list[RoomColumn] = []
        for room in rooms:
            answers = self.by_room_question.get((room.id, question.id), [])
            texts = [answer for answer in answers if answer.has_text]
            top = sorted(texts, key=lambda a: (-a.votes, not a.pinned, a.created_at, a.id))
            columns.append(
                RoomColumn(
                    room=self.refs[room.id],
                    answers=len(answers),
                    respondents=len({answer.author_id for answer in answers if answer.author_id is not None}),
                    participants=participants.get(room.id, 0),
                    findings=[self.finding(finding) for finding in findings_of.get(room.id, [])],
                    top_answers=[self.answer(answer) for answer in top[:TOP_ANSWERS_PER_ROOM]],
                    distribution=distribution(question, answers),
                )
            )
        answered = sum(1 for column in columns if column.answers or column.findings)
        parts: list[tuple[uuid.UUID, Distribution]] = [
            (column.room.id, column.distribution) for column in columns if column.distribution is not None
        ]
        items = self.question_items(question, findings)
        groups = self.groups(question, findings, answered, items)
        return PlenaryQuestion(
            question=QuestionView.model_validate(question),
            shared=len(rooms) > 1,
            rooms_answered=answered,
            rooms=columns,
            overall=merged(question, [dist for _, dist in parts]),
            divergence=divergence(question, parts),
            groups=groups,
            point_themes=point_themes(groups, answered),
            ungrouped=ungrouped_members(items, groups),
        )

    def room_participants(self) -> dict[uuid.UUID, int]:
        """People taking part in each room: participants assigned to it or who answered in it
        (moderators and observers are not counted; people return to plenary when rooms close)."""
        # Keyed by the UUIDs' integers: a UUID hashes in Python code, ten thousand answers over.
        participants = {
            key.int: person for key, person in self.material.roster.items() if person.role == Role.PARTICIPANT
        }
        rooms: dict[int, uuid.UUID] = {}
        people: set[tuple[int, int]] = set()
        for person in participants.values():
            if person.room_id is not None:
                rooms.setdefault(person.room_id.int, person.room_id)
                people.add((person.room_id.int, person.id.int))
        for answer in self.material.answers:
            author = participants.get(answer.author_id.int) if answer.author_id is not None else None
            if author is not None:
                rooms.setdefault(answer.room_id.int, answer.room_id)
                people.add((answer.room_id.int, author.id.int))
        counts = Counter(room for room, _ in people)
        return {rooms[room]: count for room, count in counts.items()}

    def build(self) -> PlenaryRead:
        with collection_paused():
            return self._build()

    def _build(self) -> PlenaryRead:
        material = self.material
        participants = self.room_participants()
        confirmed = self.confirmed_findings()
        by_question: dict[uuid.UUID | None, list[Finding]] = defaultdict(list)
        for finding in confirmed:
            by_question[finding.question_id if finding.question_id in material.question_by_id else None].append(finding)
        asked = {a.question_id for a in material.allocations} | {a.question_id for a in self.shown}
        themes: dict[str, PlenaryTheme] = {}
        for question in material.questions:
            if question.id in asked or question.id in by_question:
                theme = themes.setdefault(question.theme, PlenaryTheme(theme=question.theme, questions=[], findings=[]))
                theme.questions.append(self.question(question, by_question.get(question.id, []), participants))
        for finding in by_question.get(None, []):
            room = material.room_by_id[finding.room_id]
            theme = themes.setdefault(room.theme, PlenaryTheme(theme=room.theme, questions=[], findings=[]))
            theme.findings.append(self.finding(finding))
        state = material.state
        confirmed_in = Counter(finding.room_id for finding in confirmed)
        answers_in: Counter[uuid.UUID] = Counter()
        for (room_id, _), answers in self.by_room_question.items():
            answers_in[room_id] += len(answers)
        return PlenaryRead(
            meeting_id=material.meeting.id,
            phase=Phase(material.meeting.phase),
            focus=PlenaryFocus(
                room_id=state.focus_room_id if state else None,
                question_id=state.focus_question_id if state else None,
                page=state.focus_page if state else 0,
                version=state.version if state else 0,
            ),
            rooms=[
                RoomSummary(
                    room=self.refs[room.id],
                    participants=participants.get(room.id, 0),
                    answers=answers_in[room.id],
                    confirmed_findings=confirmed_in[room.id],
                )
                for room in material.rooms
            ],
            themes=list(themes.values()),
        )


def build_plenary(material: Material, disclosure: Disclosure) -> PlenaryRead:
    return PlenaryBuilder(material, disclosure).build()
