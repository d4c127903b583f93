"""Participation figures disaggregated by gender, as UN-style reports give them:
"45 participants (15 female, 30 male)" and "312 answers (110 from female participants, …)".

Counting rule (stated in the report too): every entry on the meeting's roster counts as a
participant, whatever its role (organisers listed on the roster, moderators, participants and
observers); an organiser's account that is not on the roster is not. A person's gender is what
they declared; none declared counts as undisclosed. Answers given are every answer a person on
the roster submitted, whatever its moderation state (hidden, merged into another); an answer a
moderator made by merging others is not counted again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from app.participants.models import Participant
from app.plenary.records import AnswerRecord
from app.reports.schemas import FigureRow, GenderCounts, ParticipationFigures
from app.vocabulary import Gender, OrganisationType, Role

COUNTING_RULE = (
    "Participants are everyone on the meeting's roster, whatever their role (organisers on the roster, "
    "moderators, participants and observers); gender is as each person declared it. Answers are every "
    "answer a person on the roster submitted, including hidden ones and those merged into another; "
    "answers made by merging others are not counted again."
)
ORGANISATION_LABELS = {
    OrganisationType.MINISTRY: "Ministry",
    OrganisationType.POLICE: "Police",
    OrganisationType.PROSECUTION: "Prosecution",
    OrganisationType.JUDICIARY: "Judiciary",
    OrganisationType.CIVIL_SOCIETY: "Civil society",
    OrganisationType.INTERNATIONAL_ORGANISATION: "International organisation",
    OrganisationType.ACADEMIA: "Academia",
    OrganisationType.PRIVATE_SECTOR: "Private sector",
    OrganisationType.OTHER: "Other",
}
NOT_STATED = "Not stated"
ROLE_LABELS = {
    Role.ORGANISER: "Organisers",
    Role.MODERATOR: "Moderators",
    Role.PARTICIPANT: "Participants",
    Role.OBSERVER: "Observers",
}


def gender_of(person: Participant) -> Gender:
    try:
        return Gender(person.gender) if person.gender else Gender.UNDISCLOSED
    except ValueError:
        return Gender.UNDISCLOSED


def _count(people: Iterable[Participant]) -> GenderCounts:
    counts = GenderCounts()
    for person in people:
        counts.total += 1
        gender = gender_of(person)
        setattr(counts, gender.value, getattr(counts, gender.value) + 1)
    return counts


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def participants_sentence(counts: GenderCounts, noun: str = "participant") -> str:
    """ "45 participants (15 female, 30 male)", with "n another, n undisclosed" only when non-zero."""
    parts = [f"{counts.female} female", f"{counts.male} male"]
    if counts.another:
        parts.append(f"{counts.another} another")
    if counts.undisclosed:
        parts.append(f"{counts.undisclosed} undisclosed")
    return f"{_plural(counts.total, noun)} ({', '.join(parts)})"


def answers_sentence(counts: GenderCounts) -> str:
    """ "312 answers (110 from female participants, 202 from male participants)"."""
    parts = [f"{counts.female} from female participants", f"{counts.male} from male participants"]
    if counts.another:
        parts.append(f"{counts.another} from participants of another gender")
    if counts.undisclosed:
        parts.append(f"{counts.undisclosed} from participants who did not disclose their gender")
    return f"{_plural(counts.total, 'answer')} ({', '.join(parts)})"


def organisation_label(person: Participant) -> str:
    if person.organisation_type is None:
        return NOT_STATED
    try:
        return ORGANISATION_LABELS[OrganisationType(person.organisation_type)]
    except ValueError:
        return NOT_STATED


def _organisation_order() -> list[str]:
    return [*ORGANISATION_LABELS.values(), NOT_STATED]


def _rows(groups: Mapping[str, list[Participant]], order: list[str], noun: str) -> list[FigureRow]:
    rows = []
    for label in order:
        people = groups.get(label, [])
        if people:
            counts = _count(people)
            rows.append(
                FigureRow(label=label, counts=counts, sentence=f"{label}: {participants_sentence(counts, noun)}")
            )
    return rows


def _answer_rows(groups: Mapping[str, list[Participant]], order: list[str]) -> list[FigureRow]:
    rows = []
    for label in order:
        authors = groups.get(label, [])
        if authors:
            counts = _count(authors)
            rows.append(FigureRow(label=label, counts=counts, sentence=f"{label}: {answers_sentence(counts)}"))
    return rows


def participation_figures(
    roster: Mapping[uuid.UUID, Participant], answers: Iterable[AnswerRecord], merged_answer_ids: set[uuid.UUID]
) -> ParticipationFigures:
    people = list(roster.values())
    by_organisation: dict[str, list[Participant]] = {}
    by_role: dict[str, list[Participant]] = {}
    for person in people:
        by_organisation.setdefault(organisation_label(person), []).append(person)
        by_role.setdefault(ROLE_LABELS.get(Role(person.role), person.role), []).append(person)
    # One entry per answer given, repeating its author: the counts are then counts of answers.
    answer_authors = [
        roster[answer.author_id]
        for answer in answers
        if answer.author_id is not None and answer.author_id in roster and answer.id not in merged_answer_ids
    ]
    answers_by_organisation: dict[str, list[Participant]] = {}
    for author in answer_authors:
        answers_by_organisation.setdefault(organisation_label(author), []).append(author)
    participants = _count(people)
    answer_counts = _count(answer_authors)
    return ParticipationFigures(
        participants=participants,
        participants_sentence=participants_sentence(participants),
        by_organisation_type=_rows(by_organisation, _organisation_order(), "participant"),
        by_role=_rows(by_role, list(ROLE_LABELS.values()), "participant"),
        answers=answer_counts,
        answers_sentence=answers_sentence(answer_counts),
        answers_by_organisation_type=_answer_rows(answers_by_organisation, _organisation_order()),
        counting_rule=COUNTING_RULE,
    )
