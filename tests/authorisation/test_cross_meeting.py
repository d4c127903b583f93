"""An organiser acting in their OWN meeting but naming another meeting's rooms, people, questions,
answers or groups: refused as if those ids did not exist (same status, same body), nothing written.

The matrix sends each role to the world's own paths; these are the confused-deputy cases, where
the path is the caller's and only an id inside it, or in the body, belongs to someone else.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.authorisation.calls import as_seen, send
from tests.authorisation.cells import Row
from tests.authorisation.fingerprint import changed_tables, fingerprint
from tests.authorisation.world import World, build_worlds, phantom

OWN_MEETING = {"meeting_id": "stranger_meeting"}
OWN_ROOM = {"room_id": "stranger_room"}
# The stranger's own ids stay real in the phantom world; only the foreign ones vanish.
OWN_IDS = ("stranger_meeting", "stranger_room", "stranger_question")


def snapshot(stream: str) -> Row:
    def query(w: World) -> dict[str, str]:
        kind, _, entity = stream.partition(":")
        return {"meeting_id": str(w.stranger_meeting), "stream": f"{kind}:{getattr(w, entity)}"}

    return Row("GET", "/api/live/snapshot", {}, query=query, variant=stream)


# Outcomes are not stated per role: the one caller is the stranger, and the rule is "as if missing".
# fmt: off
CASES = [
    Row("POST", "/api/meetings/{meeting_id}/invites", {}, at=OWN_MEETING,
        body=lambda w: {"role": "participant", "room_id": str(w.room_a)}),
    Row("POST", "/api/meetings/{meeting_id}/invites", {}, at=OWN_MEETING, variant="personal",
        body=lambda w: {"role": "participant", "participant_id": str(w.participant_a)}),
    Row("POST", "/api/meetings/{meeting_id}/invites/{invite_id}/revoke", {}, at=OWN_MEETING),
    Row("PATCH", "/api/meetings/{meeting_id}/agenda/{item_id}", {}, at=OWN_MEETING,
        body=lambda w: {"planned_minutes": 1}),
    Row("DELETE", "/api/meetings/{meeting_id}/agenda/{item_id}", {}, at=OWN_MEETING),
    Row("PUT", "/api/meetings/{meeting_id}/current-item", {}, at=OWN_MEETING,
        body=lambda w: {"item_id": str(w.agenda_item)}),
    Row("POST", "/api/meetings/{meeting_id}/phase", {}, at=OWN_MEETING, variant="agenda item",
        body=lambda w: {"phase": "lobby", "item_id": str(w.agenda_item)}),
    Row("PUT", "/api/rooms/{room_id}/moderators", {}, at=OWN_ROOM,
        body=lambda w: {"participant_ids": [str(w.moderator_a)]}),
    Row("POST", "/api/meetings/{meeting_id}/participants", {}, at=OWN_MEETING,
        body=lambda w: {"display_name": "Someone", "room_id": str(w.room_a)}),
    Row("POST", "/api/meetings/{meeting_id}/timers", {}, at=OWN_MEETING,
        body=lambda w: {"room_id": str(w.room_a), "seconds": 60}),
    Row("PUT", "/api/questions/{question_id}/allocations", {}, at={"question_id": "stranger_question"},
        body=lambda w: {"room_ids": [str(w.stranger_room), str(w.room_a)]}),
    Row("PUT", "/api/rooms/{room_id}/questions/order", {}, at=OWN_ROOM,
        body=lambda w: {"question_ids": [str(w.stranger_question), str(w.q_live)]}),
    Row("POST", "/api/rooms/{room_id}/questions/{question_id}/push", {}, at=OWN_ROOM),
    Row("PUT", "/api/rooms/{room_id}/questions/{question_id}/grouping", {}, at=OWN_ROOM,
        body=lambda w: {"grouped": True}),
    Row("POST", "/api/rooms/{room_id}/findings", {}, at=OWN_ROOM, variant="sources",
        body=lambda w: {"text": "Mine", "answer_ids": [str(w.answer_a)]}),
    Row("POST", "/api/rooms/{room_id}/findings", {}, at=OWN_ROOM, variant="question",
        body=lambda w: {"text": "Mine", "question_id": str(w.q_live)}),
    Row("POST", "/api/rooms/{room_id}/answers/merge", {}, at=OWN_ROOM,
        body=lambda w: {"answer_ids": [str(w.answer_a), str(w.answer_a2)]}),
    Row("GET", "/api/rooms/{room_id}/answers", {}, at=OWN_ROOM, query=lambda w: {"question_id": str(w.q_live)}),
    Row("PUT", "/api/meetings/{meeting_id}/plenary/focus", {}, at=OWN_MEETING, variant="room",
        body=lambda w: {"room_id": str(w.room_a)}),
    Row("PUT", "/api/meetings/{meeting_id}/plenary/focus", {}, at=OWN_MEETING, variant="question",
        body=lambda w: {"question_id": str(w.q_live)}),
    Row("GET", "/api/meetings/{meeting_id}/plenary", {}, at=OWN_MEETING, query=lambda w: {"question_id": str(w.q_live)}),
    Row("POST", "/api/meetings/{meeting_id}/plenary/groups", {}, at=OWN_MEETING, variant="their question",
        body=lambda w: {"question_id": str(w.q_live), "keys": [f"answer:{w.answer_a}"]}),
    Row("POST", "/api/meetings/{meeting_id}/plenary/groups", {}, at=OWN_MEETING, variant="own question",
        body=lambda w: {"question_id": str(w.stranger_question), "keys": [f"answer:{w.answer_a}"]}),
    Row("PATCH", "/api/meetings/{meeting_id}/plenary/groups/{group_id}", {}, at=OWN_MEETING,
        body=lambda w: {"pinned": True}),
    Row("DELETE", "/api/meetings/{meeting_id}/plenary/groups/{group_id}", {}, at=OWN_MEETING),
    Row("POST", "/api/meetings/{meeting_id}/plenary/groups/{group_id}/split", {}, at=OWN_MEETING,
        body=lambda w: {"keys": [f"answer:{w.answer_a2}"]}),
    snapshot("room:room_a"),
    snapshot("meeting:meeting_id"),
    snapshot("staff:meeting_id"),
]
# fmt: on


async def test_another_meetings_ids_read_as_missing(app: FastAPI) -> None:
    worlds = await build_worlds(app, len(CASES))
    transport = httpx.ASGITransport(app=app, client=("198.51.100.11", 50000))
    problems: list[str] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for case, world in zip(CASES, worlds, strict=True):
            before = await fingerprint(app)
            response = await send(http, case, world, "stranger")
            after = await fingerprint(app)
            ghost = phantom(world, keep=OWN_IDS)
            twin = await send(http, case, ghost, "stranger")
            if response.status_code not in (404, 422):
                problems.append(f"{case.id}: {response.status_code} {response.text[:200]}")
            if as_seen(response, world) != as_seen(twin, ghost):
                problems.append(f"{case.id}: {response.text[:200]} differs from a missing id's {twin.text[:200]}")
            if after != before:
                problems.append(f"{case.id}: the database changed: {changed_tables(before, after)}")
    assert not problems, "\n".join(problems)
