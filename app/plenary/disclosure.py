"""Who reads the plenary view or a report, and therefore which answers and whose names it shows.

Authors, by the question's anonymity:

| audience | named | anonymous_to_peers | fully_anonymous |
| --- | --- | --- | --- |
| staff (organisers, moderators) | name | name | nothing |
| peers (participants, observers) | name | nothing | nothing |
| report (exports, the report link) | name | pseudonym | nothing |
| screen (the projector link) | nothing | nothing | nothing |

A fully anonymous author never leaves the server: not the name, not the pseudonym, not the id.
An erased participant's pseudonym stands in for their name everywhere.

Answers: hidden ones and those merged into another never appear (the merged answer does, with
its sources listed). An answer to a question shown only after close appears to peers only once
the question closed in its room; staff and the organiser's exports see it at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from app.participants.models import Participant
from app.plenary.records import AnswerRecord
from app.questions.models import Question
from app.vocabulary import Anonymity, Visibility


class Audience(StrEnum):
    STAFF = "staff"
    PEERS = "peers"
    REPORT = "report"
    SCREEN = "screen"


@dataclass(frozen=True, slots=True)
class Disclosure:
    audience: Audience
    # Answers of questions shown only after close, before the question closed in their room.
    include_unrevealed: bool


STAFF = Disclosure(Audience.STAFF, include_unrevealed=True)
PEERS = Disclosure(Audience.PEERS, include_unrevealed=False)
ORGANISER_REPORT = Disclosure(Audience.REPORT, include_unrevealed=True)
SHARED_REPORT = Disclosure(Audience.REPORT, include_unrevealed=False)
# What a projector shows a room: what peers see, without anybody's name.
SCREEN = Disclosure(Audience.SCREEN, include_unrevealed=False)


def shown_author(question: Question, author: Participant | None, audience: Audience) -> str | None:
    if author is None or question.anonymity == Anonymity.FULLY_ANONYMOUS or audience is Audience.SCREEN:
        return None
    name = author.pseudonym if author.erased_at is not None else author.display_name
    if question.anonymity == Anonymity.NAMED:
        return name
    if audience is Audience.STAFF:
        return name
    if audience is Audience.REPORT:
        return author.pseudonym
    return None


def is_shown(
    answer: AnswerRecord, question: Question, closed_rooms: frozenset[uuid.UUID], disclosure: Disclosure
) -> bool:
    """Whether the answer belongs in a plenary view or report for this disclosure."""
    if answer.hidden or answer.merged_into_id is not None:
        return False
    if disclosure.include_unrevealed or question.visibility == Visibility.LIVE:
        return True
    return answer.room_id in closed_rooms
