"""Over the socket, a connection receives exactly what its role and room allow, live and replayed."""

from __future__ import annotations

import json
import uuid
from typing import Any

from app.client.connection import CommandRefused, Event, LiveClient
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from tests.realtime.people import World, world
from tests.realtime.raw import frames_until, raw_socket
from tests.realtime.server import LiveServer


async def _drain(client: LiveClient) -> list[Event]:
    events = []
    while not client.events.empty():
        events.append(client.events.get_nowait())
    return events


async def _two_rooms_answering(w: World) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    room_a, room_b = await w.add_room("Room A"), await w.add_room("Room B")
    question = await w.question([room_a, room_b], anonymity="anonymous_to_peers")
    await w.to_phase("lobby", "plenary", "breakouts")
    await w.push(room_a, question)
    await w.push(room_b, question)
    return room_a, room_b, question


async def test_no_event_of_another_room_and_no_staff_payload_reaches_a_participant(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_a, room_b, question = await _two_rooms_answering(w)
        amina = await w.join("participant", room_a, name="Amina")
        bilal = await w.join("participant", room_b, name="Bilal")
        moderator = await w.join("moderator", room_a, name="Moderator A")
        in_a = await w.client(amina)
        in_b = await w.client(bilal)
        staff_a = await w.client(moderator)
        assert in_a.welcome is not None and staff_a.welcome is not None
        assert set(in_a.welcome.streams) == {meeting_stream(w.meeting_id), room_stream(room_a)}
        assert set(staff_a.welcome.streams) == {
            meeting_stream(w.meeting_id),
            staff_stream(w.meeting_id),
            room_stream(room_a),
        }

        await in_b.command("answer.submit", room_id=room_b, question_id=question, text="from B")
        mine = await in_a.command("answer.submit", room_id=room_a, question_id=question, text="from A")
        await in_a.command("help.request", room_id=room_a, message="we need the organiser")

        # The moderator of A sees the author of A's answer, and A's help request on the staff stream.
        seen_by_staff = [await staff_a.next_event()]
        while seen_by_staff[-1].type != "help.requested":
            seen_by_staff.append(await staff_a.next_event())
        submitted = next(e for e in seen_by_staff if e.type == "answer.submitted")
        assert submitted.data["answer"]["author"] == "Amina"
        assert {e.stream for e in seen_by_staff} <= {room_stream(room_a), staff_stream(w.meeting_id)}

        # Amina sees her room's answer without its author, and nothing of room B or of staff.
        event = await in_a.next_event()
        assert event.type == "answer.submitted" and event.stream == room_stream(room_a)
        assert event.data["answer"]["id"] == mine["id"]
        assert event.data["answer"]["author"] is None and event.data["answer"]["author_id"] is None
        await in_a.ping()
        assert [e for e in await _drain(in_a) if e.stream != meeting_stream(w.meeting_id)] == []

        # Replay is authorised like live delivery: a forged cursor for room B is refused, and the
        # replay of room A carries the peers' payload, never the staff one.
        await in_a.close()
        in_a.cursors = {room_stream(room_a): 0, room_stream(room_b): 0, staff_stream(w.meeting_id): 0}
        await in_a.connect()
        refused = await in_a.next_control()
        assert refused["type"] == "error" and refused["code"] == "stream_forbidden"
        await in_a.until_resumed()
        replayed = await _drain(in_a)
        assert {e.stream for e in replayed} == {room_stream(room_a)}
        authors = [e.data["answer"]["author"] for e in replayed if e.type == "answer.submitted"]
        assert authors == [None]


async def test_participant_commands_reserved_to_moderators_are_forbidden_and_change_nothing(
    live_server: LiveServer,
) -> None:
    async with world(live_server) as w:
        room_a, room_b, question = await _two_rooms_answering(w)
        amina = await w.client(await w.join("participant", room_a, name="Amina"))
        answer = await amina.command("answer.submit", room_id=room_a, question_id=question, text="mine")

        attempts: list[tuple[str, dict[str, Any]]] = [
            ("question.close", {"room_id": room_a, "question_id": question}),
            ("question.group", {"room_id": room_a, "question_id": question, "grouped": True}),
            ("room.finish", {"room_id": room_a, "finished": True}),
            ("answer.moderate", {"answer_id": answer["id"], "hidden": True}),
            ("meeting.change_phase", {"meeting_id": w.meeting_id, "phase": "report_back"}),
            ("broadcast.send", {"meeting_id": w.meeting_id, "message": "all rooms: leave now"}),
            ("timer.start", {"meeting_id": w.meeting_id, "room_id": room_a, "seconds": 60}),
            ("finding.draft", {"room_id": room_a, "text": "a finding"}),
        ]
        for command_type, fields in attempts:
            try:
                await amina.command(command_type, **fields)
            except CommandRefused as refused:
                assert refused.code == "forbidden", (command_type, refused)
            else:
                raise AssertionError(f"{command_type} was accepted from a participant")
        # Another room's question cannot be answered either.
        try:
            await amina.command("answer.submit", room_id=room_b, question_id=question, text="sneaking in")
        except CommandRefused as refused:
            assert refused.code == "forbidden"
        else:
            raise AssertionError("answered another room's question")

        organiser = await w.client(w.organiser)
        snapshot = await w.organiser.http.get(
            "/api/live/snapshot", params={"meeting_id": str(w.meeting_id), "stream": room_stream(room_a)}
        )
        state = snapshot.json()["state"]
        assert [(a["state"], a["grouped"]) for a in state["allocations"]] == [("live", False)]
        assert [(a["text"], a["hidden"]) for a in state["answers"]] == [("mine", False)]
        assert state["findings"] == []
        meeting = await w.organiser.http.get(f"/api/meetings/{w.meeting_id}")
        assert meeting.json()["phase"] == "breakouts"
        assert (await w.organiser.http.get(f"/api/rooms/{room_a}")).json()["finished_at"] is None
        assert (await w.organiser.http.get(f"/api/meetings/{w.meeting_id}/broadcasts")).json() == []
        assert (await w.organiser.http.get(f"/api/meetings/{w.meeting_id}/timers")).json() == []
        await organiser.close()


async def test_a_moved_participant_follows_their_new_room_at_once(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_a, room_b, question = await _two_rooms_answering(w)
        amina_person = await w.join("participant", room_a, name="Amina")
        amina = await w.client(amina_person)
        bilal = await w.client(await w.join("participant", room_b, name="Bilal"))
        organiser = await w.client(w.organiser)

        await organiser.command("participant.move", participant_id=amina_person.participant_id, room_id=room_b)
        moved = await amina.next_event()
        assert (moved.type, moved.stream) == ("participant.moved", room_stream(room_a))
        marker = await amina.next_control()
        assert (marker["type"], marker["stream"]) == ("resumed", room_stream(room_b))

        # From now on room B reaches her, room A no longer does.
        await bilal.command("answer.submit", room_id=room_b, question_id=question, text="welcome to B")
        event = await amina.next_event()
        assert (event.type, event.stream) == ("answer.submitted", room_stream(room_b))
        await organiser.command("question.close", room_id=room_a, question_id=question)
        await organiser.command("broadcast.send", meeting_id=w.meeting_id, message="ten minutes left")
        event = await amina.next_event()
        assert event.type == "broadcast.sent"  # the meeting stream's next event, nothing of room A before it
        assert amina.welcome is not None


async def test_a_ticket_is_single_use_and_bound_to_its_meeting(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        person = await w.join("participant", None, name="Amina")
        ticket = (await person.http.post("/api/realtime/tickets", json={"meeting_id": str(w.meeting_id)})).json()[
            "ticket"
        ]
        first = await raw_socket(w, person, ticket=ticket)
        assert (await frames_until(first, "welcome"))[-1]["role"] == "participant"
        second = await raw_socket(w, person, ticket=ticket, hello=False)
        await second.wait_closed()
        assert second.close_code == 4401
        stranger = await w.http()
        refused = await stranger.post("/api/realtime/tickets", json={"meeting_id": str(w.meeting_id)})
        assert refused.status_code == 401
        other = await w.organiser.http.post("/api/meetings", json={"title": "Another meeting"})
        elsewhere = await person.http.post("/api/realtime/tickets", json={"meeting_id": other.json()["id"]})
        assert elsewhere.status_code == 404
        await first.send(json.dumps({"type": "ping"}))
        assert (await frames_until(first, "pong"))[-1] == {"type": "pong"}
        await first.close()


async def test_someone_in_no_room_follows_the_room_each_placement_puts_them_in(live_server: LiveServer) -> None:
    """A walk-in (open link, no room) has no room stream that could carry their move: the socket's
    `resumed` for the new room is how their phone learns it, whichever way they were placed."""
    async with world(live_server) as w:
        room_a, room_b = await w.add_room("Room A"), await w.add_room("Room B")
        await w.to_phase("lobby", "plenary")
        walk_in = await w.join("participant", None, name="Walk-in")
        assert walk_in.participant_id is not None
        phone = await w.client(walk_in)
        assert phone.welcome is not None
        assert set(phone.welcome.streams) == {meeting_stream(w.meeting_id)}

        async def followed() -> str:
            marker = await phone.next_control()
            while marker["type"] != "resumed":
                marker = await phone.next_control()
            return str(marker["stream"])

        balanced = await w.organiser.http.post(
            f"/api/meetings/{w.meeting_id}/assignment", json={"mode": "balanced", "seed": 7}
        )
        assert balanced.status_code == 200, balanced.text
        placed = await followed()
        assert placed in {room_stream(room_a), room_stream(room_b)}

        other = room_b if placed == room_stream(room_a) else room_a
        chosen = await w.organiser.http.post(f"/api/meetings/{w.meeting_id}/assignment", json={"mode": "self_select"})
        assert chosen.status_code == 200, chosen.text
        selected = await walk_in.http.post(f"/api/rooms/{other}/select")
        assert selected.status_code == 200, selected.text
        assert await followed() == room_stream(other)

        out = await w.organiser.http.post(f"/api/participants/{walk_in.participant_id}/move", json={"room_id": None})
        assert out.status_code == 200, out.text
        moved_out = await phone.next_event()
        # Before it: the assignment mode's meeting.updated, the self-selected move out of the first room.
        while moved_out.type != "participant.moved" or moved_out.data["to_room_id"] is not None:
            moved_out = await phone.next_event()
        assert (moved_out.type, moved_out.stream) == ("participant.moved", room_stream(other))
        await w.to_phase("breakouts")
        await w.organiser.http.post(f"/api/participants/{walk_in.participant_id}/move", json={"room_id": str(other)})
        assert await followed() == room_stream(other)  # moved back into a room they had left
