"""The position-paper draft as data: the plenary merge (for the report's audience), the
participation figures, the annexes, and a numbered note for every finding and group that traces
it to its rooms and quoted answers. Markdown and DOCX are renderings of this one document."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from app.meetings.models import AgendaItem
from app.plenary.disclosure import Disclosure
from app.plenary.material import Material
from app.plenary.merge import PlenaryBuilder
from app.plenary.schemas import Divergence, PlenaryAnswer, PlenaryFinding, PlenaryGroup, PlenaryQuestion
from app.reports.figures import participation_figures
from app.reports.schemas import (
    AgendaEntry,
    AnnexQuestion,
    AnnexRoom,
    ReportAnswer,
    ReportDocument,
    ReportFinding,
    ReportGroup,
    ReportMeeting,
    ReportNote,
    ReportQuestion,
    ReportTheme,
    RoomDistribution,
    RoomSideBySide,
)
from app.vocabulary import Phase

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hi": "Hindi",
    "ne": "Nepali",
    "pt": "Portuguese",
    "ru": "Russian",
    "ur": "Urdu",
    "zh": "Chinese",
}
ANONYMOUS = "anonymous"


def answer_ref(answer_id: uuid.UUID) -> str:
    return answer_id.hex[:8]


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag)


class ReportAssembler:
    def __init__(self, material: Material, disclosure: Disclosure) -> None:
        self.material = material
        self.plenary = PlenaryBuilder(material, disclosure)
        self.notes: list[ReportNote] = []

    # --- answers and notes -------------------------------------------------------------------

    def answer(self, view: PlenaryAnswer) -> ReportAnswer:
        question = self.material.question_by_id[view.question_id]
        if view.text:
            text = view.text
        elif view.choice_ids is not None:
            labels = {str(option["id"]): str(option.get("label", option["id"])) for option in question.options}
            text = "; ".join(labels.get(choice, choice) for choice in view.choice_ids)
        elif view.scale_value is not None:
            label = (question.scale_labels or {}).get(str(view.scale_value))
            text = f"{view.scale_value} ({label})" if label else str(view.scale_value)
        else:
            text = ""
        return ReportAnswer(
            id=view.id,
            ref=answer_ref(view.id),
            room_name=view.room_name,
            question_code=view.question_code,
            text=" ".join(text.split()),
            author=view.author,
            votes=view.votes,
        )

    def _answers_by_id(self, ids: list[uuid.UUID]) -> list[ReportAnswer]:
        found = [self.plenary.shown_by_id.get(answer_id) for answer_id in ids]
        return [self.answer(self.plenary.answer(answer)) for answer in found if answer is not None]

    @staticmethod
    def quote(answer: ReportAnswer) -> str:
        return f"answer {answer.ref}: “{answer.text}” ({answer.author or ANONYMOUS})"

    def _note(self, rooms: list[str], question_code: str | None, answers: list[ReportAnswer], text: str) -> int:
        number = len(self.notes) + 1
        self.notes.append(
            ReportNote(
                number=number,
                rooms=list(dict.fromkeys(rooms)),
                question_code=question_code,
                answer_ids=list(dict.fromkeys(answer.id for answer in answers)),
                text=text,
            )
        )
        return number

    def finding(self, finding: PlenaryFinding, *, with_note: bool) -> ReportFinding:
        answers = [self.answer(source) for source in finding.sources]
        where = f"{finding.room_name}, {finding.question_code}" if finding.question_code else finding.room_name
        note = None
        if with_note:
            cited = "; ".join(self.quote(answer) for answer in answers) if answers else "no answers cited"
            note = self._note([finding.room_name], finding.question_code, answers, f"{where}: {cited}.")
        return ReportFinding(
            room_name=finding.room_name,
            question_code=finding.question_code,
            text=finding.text,
            status=finding.status,
            answer_refs=[answer.ref for answer in answers],
            note=note,
        )

    def group(self, group: PlenaryGroup, question_code: str) -> ReportGroup:
        parts: list[str] = []
        answers: list[ReportAnswer] = []
        members = {member.id for member in group.members if member.kind == "answer"}
        for member in group.members:
            cited = self._answers_by_id(list(member.answer_ids))
            answers += cited
            where = f"{member.room_name}, {question_code}"
            if member.kind == "finding":
                # An answer quoted as a member of the group is only referred to here.
                sources = ", ".join(
                    f"answer {answer.ref}" if answer.id in members else self.quote(answer) for answer in cited
                )
                parts.append(f"{where}, finding “{' '.join(member.text.split())}”, citing {sources or 'no answers'}")
            else:
                parts.extend(f"{where}, {self.quote(answer)}" for answer in cited if answer.id == member.id)
        rooms = [room.name for room in group.rooms]
        note = self._note(rooms, question_code, answers, "; ".join(parts) + ".")
        return ReportGroup(
            label=group.label,
            pinned=group.pinned,
            curated=group.curated,
            rooms=rooms,
            room_count=group.room_count,
            rooms_answered=group.rooms_answered,
            raised_in=group.raised_in,
            note=note,
        )

    # --- sections ----------------------------------------------------------------------------

    def question(self, view: PlenaryQuestion) -> ReportQuestion:
        code = view.question.code
        # Cross-room groups, and whatever the organiser curated even within one room.
        groups = [self.group(group, code) for group in view.groups if group.curated or group.room_count >= 2]
        findings_by_room = {
            column.room.id: [self.finding(finding, with_note=True) for finding in column.findings]
            for column in view.rooms
        }
        rooms = [
            RoomSideBySide(
                room_name=column.room.name,
                answers=column.answers,
                participants=column.participants,
                findings=findings_by_room[column.room.id],
                top_answers=[self.answer(answer) for answer in column.top_answers],
            )
            for column in view.rooms
        ]
        names = {column.room.id: column.room.name for column in view.rooms}
        return ReportQuestion(
            code=code,
            text=view.question.text,
            kind=view.question.kind,
            shared=view.shared,
            rooms_answered=view.rooms_answered,
            groups=groups,
            findings=[finding for column in view.rooms for finding in findings_by_room[column.room.id]],
            rooms=rooms,
            distributions=[
                RoomDistribution(room_name=column.room.name, distribution=column.distribution)
                for column in view.rooms
                if column.distribution is not None
            ],
            overall=view.overall,
            divergence=view.divergence,
            divergence_sentence=divergence_sentence(view, names) if view.divergence else None,
        )

    def annex(self) -> list[AnnexRoom]:
        rooms = []
        for room in self.material.rooms:
            findings = [
                self.finding(self.plenary.finding(finding), with_note=False)
                for finding in self.material.findings
                if finding.room_id == room.id
            ]
            questions = [
                AnnexQuestion(
                    code=question.code,
                    text=question.text,
                    answers=[self.answer(self.plenary.answer(answer)) for answer in answers],
                )
                for question in self.material.questions
                if (answers := self.plenary.by_room_question.get((room.id, question.id), []))
            ]
            rooms.append(AnnexRoom(room_name=room.name, theme=room.theme, findings=findings, questions=questions))
        return rooms


def divergence_sentence(view: PlenaryQuestion, names: dict[uuid.UUID, str]) -> str:
    divergence: Divergence | None = view.divergence
    assert divergence is not None
    verdict = divergence.verdict.capitalize()
    first, second = (names.get(room_id, "a room") for room_id in divergence.furthest_apart)
    if divergence.measure == "mean_range":
        means = {column.room.id: column.distribution.mean for column in view.rooms if column.distribution}
        low, high = (means.get(room_id) or 0.0 for room_id in divergence.furthest_apart)
        scale = f"{view.question.scale_min} to {view.question.scale_max}"
        return (
            f"{verdict}: room means range from {low:.1f} ({first}) to {high:.1f} ({second}), "
            f"{divergence.spread or 0.0:.1f} points apart on the {scale} scale "
            f"(rooms count as diverging from {divergence.threshold:.0%} of the scale apart)."
        )
    return (
        f"{verdict}: the two rooms furthest apart, {first} and {second}, differ in "
        f"{divergence.value:.0%} of their choices (rooms count as diverging from {divergence.threshold:.0%})."
    )


def assemble_report(
    material: Material,
    disclosure: Disclosure,
    agenda: list[AgendaItem],
    held_at: datetime | None,
    generated_at: datetime,
) -> ReportDocument:
    assembler = ReportAssembler(material, disclosure)
    plenary = assembler.plenary.build()
    themes = [
        ReportTheme(
            theme=theme.theme,
            questions=[assembler.question(question) for question in theme.questions],
            findings=[assembler.finding(finding, with_note=True) for finding in theme.findings],
        )
        for theme in plenary.themes
    ]
    meeting = material.meeting
    held_on: date | None = held_at.date() if held_at is not None else None
    return ReportDocument(
        meeting=ReportMeeting(
            id=meeting.id,
            title=meeting.title,
            description=meeting.description,
            held_on=held_on,
            prepared_on=meeting.created_at.date(),
            languages=[language_name(tag) for tag in meeting.languages],
            agenda=[
                AgendaEntry(title=i.title, kind=i.kind, speaker=i.speaker, planned_minutes=i.planned_minutes)
                for i in agenda
            ],
            phase=Phase(meeting.phase),
        ),
        generated_at=generated_at,
        participation=participation_figures(material.roster, material.answers, set(material.merge_sources)),
        themes=themes,
        annex=assembler.annex(),
        notes=assembler.notes,
    )
