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
from app.reports.wording import Wording
from app.vocabulary import Gender, OrganisationType, Role

ORGANISATION_ORDER = [*(kind.value for kind in OrganisationType), "not_stated"]
ROLE_ORDER = [Role.ORGANISER, Role.MODERATOR, Role.PARTICIPANT, Role.OBSERVER]


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


def participants_sentence(counts: GenderCounts, wording: Wording) -> str:
    """ "45 participants (15 female, 30 male)", with "n another, n undisclosed" only when non-zero."""
    parts = [wording("female", count=counts.female), wording("male", count=counts.male)]
    if counts.another:
        parts.append(wording("another", count=counts.another))
    if counts.undisclosed:
        parts.append(wording("undisclosed", count=counts.undisclosed))
    total = f"{wording.number(str(counts.total))} {wording.counted('participant_noun', counts.total)}"
    return wording("participants_sentence", total=total, parts=", ".join(parts))


def answers_sentence(counts: GenderCounts, wording: Wording) -> str:
    """ "312 answers (110 from female participants, 202 from male participants)"."""
    parts = [wording("from_female", count=counts.female), wording("from_male", count=counts.male)]
    if counts.another:
        parts.append(wording("from_another", count=counts.another))
    if counts.undisclosed:
        parts.append(wording("from_undisclosed", count=counts.undisclosed))
    noun = wording.counted("answers_noun", counts.total)
    separator = "" if noun.startswith("টি") else " "
    total = f"{wording.number(str(counts.total))}{separator}{noun}"
    return wording("participants_sentence", total=total, parts=", ".join(parts))


def organisation_key(person: Participant) -> str:
    if person.organisation_type is None:
        return "not_stated"
    try:
        return OrganisationType(person.organisation_type).value
    except ValueError:
        return "not_stated"


def _rows(
    groups: Mapping[str, list[Participant]], order: list[str], wording: Wording, prefix: str, *, answers: bool = False
) -> list[FigureRow]:
    rows = []
    for key in order:
        people = groups.get(key, [])
        if people:
            counts = _count(people)
            label = wording(f"{prefix}.{key}")
            sentence = answers_sentence(counts, wording) if answers else participants_sentence(counts, wording)
            rows.append(FigureRow(label=label, counts=counts, sentence=f"{label}: {sentence}"))
    return rows


def participation_figures(
    roster: Mapping[uuid.UUID, Participant],
    answers: Iterable[AnswerRecord],
    merged_answer_ids: set[uuid.UUID],
    wording: Wording,
) -> ParticipationFigures:
    people = list(roster.values())
    by_organisation: dict[str, list[Participant]] = {}
    by_role: dict[str, list[Participant]] = {}
    for person in people:
        by_organisation.setdefault(organisation_key(person), []).append(person)
        by_role.setdefault(person.role, []).append(person)
    # One entry per answer given, repeating its author: the counts are then counts of answers.
    answer_authors = [
        roster[answer.author_id]
        for answer in answers
        if answer.author_id is not None and answer.author_id in roster and answer.id not in merged_answer_ids
    ]
    answers_by_organisation: dict[str, list[Participant]] = {}
    for author in answer_authors:
        answers_by_organisation.setdefault(organisation_key(author), []).append(author)
    participants = _count(people)
    answer_counts = _count(answer_authors)
    return ParticipationFigures(
        participants=participants,
        participants_sentence=participants_sentence(participants, wording),
        by_organisation_type=_rows(by_organisation, ORGANISATION_ORDER, wording, "org"),
        by_role=_rows(by_role, [role.value for role in ROLE_ORDER], wording, "role"),
        answers=answer_counts,
        answers_sentence=answers_sentence(answer_counts, wording),
        answers_by_organisation_type=_rows(answers_by_organisation, ORGANISATION_ORDER, wording, "org", answers=True),
        counting_rule=wording("counting_rule"),
    )
