"""The cross-room merge on real consultation text: the Polis conversation "canadian electoral reform
2016", its authors split across six rooms that all answered one shared question, with lightly
edited copies of three statements added to other rooms. The plenary must group each statement
with its copies and count the rooms right ("raised in 4 of 6 rooms").

Data: Polis (compdemocracy.org/polis), sub-licensed under CC BY 4.0 with Attribution to The
Computational Democracy Project (compdemocracy/openData); see tests/plenary/polis/README.md.
The edited copies below are derived from it under the same licence.
"""

from __future__ import annotations

import csv
import uuid
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from app.answers.models import Answer
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.state import AppState
from app.vocabulary import Anonymity, QuestionKind, QuestionState, Role, Visibility
from tests.world import new_meeting, signed_in_organiser

STATEMENTS = Path(__file__).parent / "polis" / "canadian-electoral-reform.csv"
ROOM_COUNT = 6
# statement id: {room number: a lightly edited copy (case, punctuation, a word or two, a typo)}
COPIES = {
    "123": {
        0: "maintaining the anonymity of the secret ballot is more important than the convenience of voting online",
        1: "Maintaining the anonymity of the secret ballot matters more to me than the convenience of voting online!",
        5: "Maintaining the anonymity of the secret ballot is more importent to me than convenience of online voting.",
    },
    "81": {2: "Mandatory voting requirements would reduce the incentive for parties to pander to extremist values."},
    "54": {
        0: "ranked ballots provide real choices for voters if they are used in a proportional voting system",
        1: "Ranked ballots give real choices to voters if they are used in a proportional voting system.",
        3: "Ranked ballots provide real choices for voters when used in a proportional voting system.",
        4: "Ranked ballots provide real choice for voters if used in a proportional system.",
        5: "RANKED BALLOTS PROVIDE REAL CHOICES FOR VOTERS IF THEY ARE USED IN A PROPORTIONAL VOTING SYSTEM",
    },
}


async def _six_rooms_answer_polis(app: FastAPI, meeting_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Answer ids by statement id (and ``copy-<id>-<room>`` for the copies)."""
    with STATEMENTS.open(newline="", encoding="utf-8") as file:
        statements = list(csv.DictReader(file))
    authors = sorted({row["author-id"] for row in statements}, key=int)
    room_of_author = {author: index % ROOM_COUNT for index, author in enumerate(authors)}
    state: AppState = app.state.breakouts
    async with state.database.write_sessions() as session:
        rooms = [Room(meeting_id=meeting_id, name=f"Room {n + 1}", position=n) for n in range(ROOM_COUNT)]
        question = Question(
            meeting_id=meeting_id,
            code="S1",
            theme="Shared",
            text="What should change in how Canada votes?",
            kind=QuestionKind.OPEN,
            options=[],
            scale_labels={},
            anonymity=Anonymity.ANONYMOUS_TO_PEERS,
            visibility=Visibility.LIVE,
        )
        session.add_all([*rooms, question])
        await session.flush()
        session.add_all(Allocation(room_id=r.id, question_id=question.id, state=QuestionState.CLOSED) for r in rooms)
        people = {
            author: Participant(
                meeting_id=meeting_id,
                display_name=f"Polis author {author}",
                pseudonym=f"Author {author}",
                role=Role.PARTICIPANT,
                room_id=rooms[room_of_author[author]].id,
            )
            for author in authors
        }
        session.add_all(people.values())
        await session.flush()
        answers: dict[str, Answer] = {}

        def answer(key: str, author: str, room: int, text: str) -> None:
            answers[key] = Answer(
                meeting_id=meeting_id,
                room_id=rooms[room].id,
                question_id=question.id,
                author_id=people[author].id,
                client_id=f"polis-{key}",
                text=text,
            )

        for row in statements:
            answer(row["comment-id"], row["author-id"], room_of_author[row["author-id"]], row["comment-body"])
        for source, copies in COPIES.items():
            for room, text in copies.items():
                # Written by the first author seated in that room.
                author = next(a for a in authors if room_of_author[a] == room)
                answer(f"copy-{source}-{room}", author, room, text)
        session.add_all(answers.values())
        await session.commit()
        return {key: value.id for key, value in answers.items()}


async def test_near_duplicates_from_six_rooms_are_grouped_with_their_room_counts(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await signed_in_organiser(app, client)
    meeting_id = uuid.UUID((await new_meeting(client))["id"])
    answers = await _six_rooms_answer_polis(app, meeting_id)

    response = await client.get(f"/api/meetings/{meeting_id}/plenary")

    assert response.status_code == 200, response.text
    (theme,) = response.json()["themes"]
    (question,) = theme["questions"]
    assert question["rooms_answered"] == ROOM_COUNT
    assert sum(column["answers"] for column in question["rooms"]) == len(answers)
    groups: list[dict[str, Any]] = question["groups"]
    expected = {"123": 4, "81": 2, "54": 6}
    for source, room_count in expected.items():
        members = {f"answer:{answers[source]}"} | {f"answer:{answers[f'copy-{source}-{r}']}" for r in COPIES[source]}
        group = next(g for g in groups if f"answer:{answers[source]}" in {m["key"] for m in g["members"]})
        assert {m["key"] for m in group["members"]} == members
        assert group["room_count"] == room_count
        assert group["raised_in"] == f"raised in {room_count} of 6 rooms"
    # Every group counts the distinct rooms of its members, and no answer is in two groups.
    seen: set[str] = set()
    for group in groups:
        keys = [member["key"] for member in group["members"]]
        assert len(keys) >= 2 and not seen & set(keys)
        seen.update(keys)
        assert group["room_count"] == len({member["room_id"] for member in group["members"]})
        assert group["rooms_answered"] == ROOM_COUNT
    assert [g["room_count"] for g in groups] == sorted((g["room_count"] for g in groups), reverse=True)
