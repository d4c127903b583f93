"""Delivery under load and loss: replay racing live events, retried commands, a slow reader."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from app.answers.models import Answer
from app.client.connection import LiveClient
from app.database import utcnow
from app.realtime.bus import InProcessBus
from app.realtime.eventlog import CommittedEvent, meeting_stream
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import BroadcastSent, BroadcastView
from tests.realtime.events import emit_broadcasts
from tests.realtime.people import world
from tests.realtime.server import LiveServer

CLIENTS = 20
EVENTS_BEFORE = 200
EVENTS_DURING = 500


async def test_replay_racing_live_events_has_no_gap_and_no_duplicate(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        state = live_server.state
        stream = meeting_stream(w.meeting_id)
        await emit_broadcasts(state, w.meeting_id, stream, EVENTS_BEFORE)
        people = [await w.join("observer", name=f"Observer {index}") for index in range(CLIENTS)]
        clients = [await w.client(person, connect=False, name=f"c{index}") for index, person in enumerate(people)]
        for index, client in enumerate(clients):
            client.cursors[stream] = index * EVENTS_BEFORE // CLIENTS  # every one somewhere else
        starts = {client.name: client.cursors[stream] for client in clients}
        final = 1 + EVENTS_BEFORE + EVENTS_DURING

        async def publish() -> None:
            for _ in range(EVENTS_DURING // 5):
                await emit_broadcasts(state, w.meeting_id, stream, 5)

        async def follow(client: LiveClient) -> list[int]:
            await client.connect()
            seqs: list[int] = []
            while not seqs or seqs[-1] < final:
                event = await client.next_event(wait_s=20)
                if event.stream == stream:
                    seqs.append(event.seq)
            return seqs

        publisher = asyncio.create_task(publish())
        received = await asyncio.gather(*(follow(client) for client in clients))
        await publisher

        for client, seqs in zip(clients, received, strict=True):
            assert seqs == list(range(starts[client.name] + 1, final + 1)), client.name
            assert client.duplicates == 0 and client.gaps == 0


async def test_retried_commands_after_lost_acks_store_each_answer_once(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        question_id = await w.question([room_id])
        await w.to_phase("lobby", "plenary", "breakouts")
        await w.push(room_id, question_id)
        people = [await w.join("participant", room_id, name=f"Person {index}") for index in range(4)]
        clients = [await w.client(person, name=f"p{index}") for index, person in enumerate(people)]
        sent: dict[str, uuid.UUID] = {}

        for round_ in range(5):
            for index, (client, person) in enumerate(zip(clients, people, strict=True)):
                command_id = f"answer-{index}-{round_}"
                assert person.participant_id is not None
                sent[command_id] = person.participant_id
                fields: dict[str, Any] = {
                    "room_id": room_id,
                    "question_id": question_id,
                    "text": f"answer {round_} of {index}",
                }
                if round_ % 2 == 0:
                    # The ack is lost with the connection: drop right after sending, resume, retry.
                    pending = client.start_command("answer.submit", id=command_id, **fields)
                    await client.send_raw(json.dumps(pending.frame))
                    await client.drop()
                    await client.connect()  # resends every unacknowledged command, same id
                    first = await asyncio.wait_for(asyncio.shield(pending.answer), 10)
                else:
                    first = await client.command("answer.submit", id=command_id, **fields)
                # And a plain retry of an acknowledged command returns the same answer.
                again = await client.command("answer.submit", id=command_id, **fields)
                assert again["id"] == first["id"]

        async with live_server.state.database.reading() as session:
            rows = (
                await session.execute(
                    select(Answer.client_id, Answer.author_id, func.count()).group_by(
                        Answer.client_id, Answer.author_id
                    )
                )
            ).all()
        stored = {client_id: (author_id, count) for client_id, author_id, count in rows}
        assert set(stored) == set(sent)
        for command_id, author_id in sent.items():
            assert stored[command_id] == (author_id, 1)


class LosingBus(InProcessBus):
    """A bus that loses every message, as Redis pub/sub may."""

    async def publish(self, events: Sequence[CommittedEvent]) -> None:
        return None


async def test_events_the_bus_lost_are_filled_from_the_log_in_order(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        state = live_server.state
        stream = meeting_stream(w.meeting_id)
        client = await w.client(w.organiser)
        head = 1  # meeting.created

        # Lost altogether: the periodic check finds them in the log.
        lost = replace(state, bus=LosingBus())
        await emit_broadcasts(lost, w.meeting_id, stream, 3)
        await state.live.hub.check_streams()
        assert [(await client.next_event()).seq for _ in range(3)] == [head + 1, head + 2, head + 3]

        # Out of order: only the later one arrives; the gap is filled before it is delivered.
        async with unit_of_work(state.database.write_sessions, LosingBus()) as uow:
            for text in ("first", "second"):
                data = BroadcastSent(broadcast=BroadcastView(id=uuid.uuid4(), message=text, created_at=utcnow()))
                await uow.emit(stream, w.meeting_id, "broadcast.sent", data)
        await state.bus.publish([uow.written[1]])
        events = [await client.next_event(), await client.next_event()]
        assert [(e.seq, e.data["broadcast"]["message"]) for e in events] == [(head + 4, "first"), (head + 5, "second")]
        assert client.gaps == 0 and client.duplicates == 0
