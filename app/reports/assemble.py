"""The position-paper draft as data: an executive summary and key recommendations taken from what
the rooms confirmed and raised in several rooms, the plenary merge (for the report's audience) per
theme, the participation figures, the annexes, and a numbered note for every finding and group that
traces it to its rooms and quoted answers. Markdown, DOCX and PDF are renderings of this one
document, which ``provenance.check_provenance`` verifies against the stored material before any of
them is made."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from app.findings.models import Finding
from app.meetings.models import AgendaItem
from app.plenary.disclosure import Disclosure
from app.plenary.material import Material
from app.plenary.merge import PlenaryBuilder
from app.plenary.schemas import Divergence, PlenaryAnswer, PlenaryFinding, PlenaryGroup, PlenaryQuestion
from app.reports.figures import participation_figures
from app.reports.provenance import check_provenance
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
    ReportQuote,
    ReportSummary,
    ReportTheme,
    RoomDistribution,
    RoomSideBySide,
    SummaryPoint,
)
from app.reports.wording import ReportLanguage, Wording, report_language
from app.vocabulary import Phase, Role

# The executive summary lists the points raised in the most rooms; the rest are in the themes.
SUMMARY_POINTS_LIMIT = 10
# Key recommendations: the organiser's headlines, then the rooms' confirmed findings, the most
# widely shared first; the rest are in the themes and the annex.
RECOMMENDATIONS_LIMIT = 12


def folded(text: str) -> str:
    """Text as the report quotes it: on one line, runs of white space as one space."""
    return " ".join(text.split())


@dataclass(slots=True)
class _Candidate:
    """A point raised in several rooms, or a confirmed finding, before the summary is ordered."""

    point: SummaryPoint
    pinned: bool
    room_count: int
    share: float


class ReportAssembler:
    def __init__(self, material: Material, disclosure: Disclosure, wording: Wording) -> None:
        self.material = material
        self.wording = wording
        self.plenary = PlenaryBuilder(material, disclosure)
        # Every answer the report shows, numbered within its room in the annex's order: a note's
        # "Room 2, S1, answer 7" is the seventh answer under Room 2 in the annex.
        self.annexed = {
            room.id: [
                (question, answers)
                for question in material.questions
                if (answers := self.plenary.by_room_question.get((room.id, question.id)))
            ]
            for room in material.rooms
        }
        self.refs = {
            answer.id: wording.number(str(number))
            for listed in self.annexed.values()
            for number, answer in enumerate((answer for _, answers in listed for answer in answers), start=1)
        }
        self.notes: list[ReportNote] = []
        self.points: list[_Candidate] = []
        # finding id → (pinned, rooms, rooms answered, raised in) of the widest group holding it.
        self.shared_findings: dict[uuid.UUID, tuple[bool, int, int, str]] = {}

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
            ref=self.refs[view.id],
            room_name=view.room_name,
            question_code=view.question_code,
            text=folded(text),
            author=view.author,
            votes=view.votes,
        )

    def _answers_by_id(self, ids: list[uuid.UUID]) -> list[ReportAnswer]:
        found = [self.plenary.shown_by_id.get(answer_id) for answer_id in ids]
        return [self.answer(self.plenary.answer(answer)) for answer in found if answer is not None]

    def quote(self, answer: ReportAnswer) -> str:
        author = answer.author or self.wording("anonymous")
        return f"{self.wording('answer_ref', ref=answer.ref)}: “{answer.text}” ({author})"

    def _note(self, rooms: list[str], question_code: str | None, answers: list[ReportAnswer], text: str) -> int:
        number = len(self.notes) + 1
        unique = list({answer.id: answer for answer in answers}.values())
        self.notes.append(
            ReportNote(
                number=number,
                rooms=list(dict.fromkeys(rooms)),
                question_code=question_code,
                answer_ids=[answer.id for answer in unique],
                quotes=[ReportQuote(answer_id=a.id, room_name=a.room_name, text=a.text) for a in unique],
                text=text,
            )
        )
        return number

    def finding(self, finding: PlenaryFinding, *, with_note: bool) -> ReportFinding:
        answers = [self.answer(source) for source in finding.sources]
        where = f"{finding.room_name}, {finding.question_code}" if finding.question_code else finding.room_name
        note = None
        if with_note:
            cited = "; ".join(self.quote(answer) for answer in answers) if answers else self.wording("note_no_answers")
            note = self._note([finding.room_name], finding.question_code, answers, f"{where}: {cited}.")
        return ReportFinding(
            id=finding.id,
            room_name=finding.room_name,
            question_code=finding.question_code,
            text=finding.text,
            status=finding.status,
            answer_refs=[answer.ref for answer in answers],
            note=note,
        )

    def group(self, group: PlenaryGroup, question_code: str, theme: str) -> ReportGroup:
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
                    self.wording("answer_ref", ref=answer.ref) if answer.id in members else self.quote(answer)
                    for answer in cited
                )
                finding = self.wording(
                    "note_finding", text=folded(member.text), sources=sources or self.wording("note_no_answers_short")
                )
                parts.append(f"{where}, {finding}")
            else:
                parts.extend(f"{where}, {self.quote(answer)}" for answer in cited if answer.id == member.id)
        rooms = [room.name for room in group.rooms]
        note = self._note(rooms, question_code, answers, "; ".join(parts) + ".")
        raised_in = self.wording.raised_in(group.room_count, group.rooms_answered)
        report_group = ReportGroup(
            label=group.label,
            pinned=group.pinned,
            curated=group.curated,
            renamed=group.curated and group.renamed,
            theme_label=group.theme_label,
            rooms=rooms,
            room_count=group.room_count,
            rooms_answered=group.rooms_answered,
            raised_in=raised_in,
            member_answer_ids=[member.id for member in group.members if member.kind == "answer"],
            member_finding_ids=[member.id for member in group.members if member.kind == "finding"],
            note=note,
        )
        if group.room_count >= 2 or (group.curated and group.pinned):
            self._summary_point(group, report_group, theme)
        return report_group

    def _summary_point(self, group: PlenaryGroup, report_group: ReportGroup, theme: str) -> None:
        """The group's sentence for the summary: the organiser's label, else the most-voted member
        answer (a member finding if it has none), quoted; a computed label (keyphrases) never."""
        share = group.room_count / max(group.rooms_answered, 1)
        for member in group.members:
            if member.kind == "finding":
                known = self.shared_findings.get(member.id)
                if known is None or known[1] < group.room_count:
                    self.shared_findings[member.id] = (
                        group.pinned,
                        group.room_count,
                        group.rooms_answered,
                        report_group.raised_in,
                    )
        if report_group.renamed:
            kind, source, text, room = "label", group.id, group.label, None
        else:
            findings = [member for member in group.members if member.kind == "finding"]
            answers = sorted(
                (member for member in group.members if member.kind == "answer"), key=lambda m: (-m.votes, m.key)
            )
            # What people said across the rooms; the rooms' confirmed words are the recommendations.
            chosen = (answers or findings)[0]
            kind, source, text, room = chosen.kind, str(chosen.id), folded(chosen.text), chosen.room_name
        point = SummaryPoint(
            kind=kind,
            source_id=source,
            text=text,
            room_name=room,
            theme=theme,
            raised_in=report_group.raised_in,
            room_count=group.room_count,
            rooms_answered=group.rooms_answered,
            note=report_group.note,
        )
        self.points.append(_Candidate(point, group.pinned, group.room_count, share))

    # --- sections ----------------------------------------------------------------------------

    def question(self, view: PlenaryQuestion, theme: str) -> ReportQuestion:
        code = view.question.code
        # Cross-room groups, and whatever the organiser curated even within one room.
        groups = [self.group(group, code, theme) for group in view.groups if group.curated or group.room_count >= 2]
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
            ungrouped_answers=sum(1 for member in view.ungrouped if member.kind == "answer"),
            findings=[finding for column in view.rooms for finding in findings_by_room[column.room.id]],
            rooms=rooms,
            # A room that was given the question but has not answered it adds only a row of zeros.
            distributions=[
                RoomDistribution(room_name=column.room.name, distribution=column.distribution)
                for column in view.rooms
                if column.distribution is not None and column.distribution.respondents
            ],
            overall=view.overall if view.overall is not None and view.overall.respondents else None,
            divergence=view.divergence,
            divergence_sentence=divergence_sentence(view, names, self.wording) if view.divergence else None,
        )

    def annex(self) -> list[AnnexRoom]:
        rooms = []
        of_room: dict[uuid.UUID, list[Finding]] = {}
        for finding in self.material.findings:
            of_room.setdefault(finding.room_id, []).append(finding)
        for room in self.material.rooms:
            findings = [
                self.finding(self.plenary.finding(finding), with_note=False) for finding in of_room.get(room.id, [])
            ]
            questions = [
                AnnexQuestion(
                    code=question.code,
                    text=question.text,
                    answers=[self.answer(self.plenary.answer(answer)) for answer in answers],
                )
                for question, answers in self.annexed[room.id]
            ]
            rooms.append(AnnexRoom(room_name=room.name, theme=room.theme, findings=findings, questions=questions))
        return rooms

    def summary(self, themes: list[ReportTheme]) -> ReportSummary:
        """The points raised in the most rooms; the recommendations: the organiser's named headlines,
        then every confirmed finding, those of points raised in the most rooms first."""
        points = sorted(self.points, key=lambda c: (not c.pinned, -c.room_count, -c.share))
        confirmed = [
            (theme.theme, finding)
            for theme in themes
            for finding in [*(f for q in theme.questions for f in q.findings), *theme.findings]
            if finding.status == "confirmed"
        ]
        headlines = [c.point for c in points if c.point.kind == "label" and c.pinned]
        findings: list[tuple[tuple[bool, int, int], SummaryPoint]] = []
        for order, (theme, finding) in enumerate(confirmed):
            pinned, room_count, rooms_answered, raised_in = self.shared_findings.get(finding.id, (False, 1, 1, None))
            point = SummaryPoint(
                kind="finding",
                source_id=str(finding.id),
                text=finding.text,
                room_name=finding.room_name,
                theme=theme,
                raised_in=raised_in,
                room_count=room_count if raised_in else None,
                rooms_answered=rooms_answered if raised_in else None,
                note=finding.note,
            )
            findings.append(((not pinned, -room_count, order), point))
        recommendations = [*headlines, *(point for _, point in sorted(findings, key=lambda entry: entry[0]))]
        w = self.wording
        findings_sentence = (
            w(
                "summary_findings",
                findings=w.counted("findings_count", len(confirmed)),
                themes=w.counted("themes_count", len({theme for theme, _ in confirmed})),
            )
            if confirmed
            else ""
        )
        return ReportSummary(
            findings_sentence=findings_sentence,
            points=[c.point for c in points[:SUMMARY_POINTS_LIMIT]],
            recommendations=recommendations[:RECOMMENDATIONS_LIMIT],
        )


def divergence_sentence(view: PlenaryQuestion, names: dict[uuid.UUID, str], wording: Wording) -> str:
    divergence: Divergence | None = view.divergence
    assert divergence is not None
    verdict = wording("rooms_agree" if divergence.verdict == "rooms agree" else "rooms_diverge")
    first, second = (names.get(room_id, wording("a_room")) for room_id in divergence.furthest_apart)
    if divergence.measure == "mean_range":
        means = {column.room.id: column.distribution.mean for column in view.rooms if column.distribution}
        low, high = (means.get(room_id) or 0.0 for room_id in divergence.furthest_apart)
        return wording(
            "divergence_scale",
            verdict=verdict,
            low=wording.decimal(low),
            high=wording.decimal(high),
            first=first,
            second=second,
            spread=wording.decimal(divergence.spread or 0.0),
            min=view.question.scale_min,
            max=view.question.scale_max,
            threshold=wording.percent(divergence.threshold),
        )
    return wording(
        "divergence_choice",
        verdict=verdict,
        first=first,
        second=second,
        value=wording.percent(divergence.value),
        threshold=wording.percent(divergence.threshold),
    )


def organisation_of(material: Material, organiser_name: str) -> str:
    """The organisations of the organisers on the roster, else the organiser's account name."""
    organisations = [
        person.organisation.strip()
        for person in material.roster.values()
        if person.role == Role.ORGANISER and person.organisation.strip()
    ]
    return ", ".join(dict.fromkeys(organisations)) or organiser_name


def assemble_report(
    material: Material,
    disclosure: Disclosure,
    agenda: list[AgendaItem],
    held_at: datetime | None,
    generated_at: datetime,
    organiser_name: str = "",
    *,
    language: ReportLanguage | None = None,
) -> ReportDocument:
    """The report, checked: a quote that is not its answer's stored text, or a "raised in n of m"
    that its members' rooms do not bear out, raises ``ProvenanceError`` (a bug, never a report).
    Its own words are in `language`, or the meeting's first language with a catalogue."""
    meeting = material.meeting
    wording = Wording(language or report_language(meeting.languages))
    assembler = ReportAssembler(material, disclosure, wording)
    plenary = assembler.plenary.build()
    themes = []
    for theme in plenary.themes:
        name = theme.theme or wording("general")
        # A question no room answered and no finding speaks to has nothing to report.
        asked = [question for question in theme.questions if question.rooms_answered or question.groups]
        questions = [assembler.question(question, name) for question in asked]
        findings = [assembler.finding(finding, with_note=True) for finding in theme.findings]
        if questions or findings:
            themes.append(ReportTheme(theme=theme.theme, questions=questions, findings=findings))
    held_on: date | None = held_at.date() if held_at is not None else None
    figures = participation_figures(material.roster, material.answers, set(material.merge_sources), wording)
    report = ReportDocument(
        language=wording.language,
        meeting=ReportMeeting(
            id=meeting.id,
            title=meeting.title,
            organisation=organisation_of(material, organiser_name),
            description=meeting.description,
            held_on=held_on,
            prepared_on=meeting.created_at.date(),
            languages=[wording.language_name(tag) for tag in meeting.languages],
            agenda=[
                AgendaEntry(title=i.title, kind=i.kind, speaker=i.speaker, planned_minutes=i.planned_minutes)
                for i in agenda
            ],
            phase=Phase(meeting.phase),
        ),
        generated_at=generated_at,
        summary=assembler.summary(themes),
        participation=figures,
        themes=themes,
        annex=assembler.annex(),
        notes=assembler.notes,
    )
    check_provenance(report, assembler.plenary, wording)
    return report
