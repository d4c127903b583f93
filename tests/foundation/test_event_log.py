"""The event log numbers each stream gap-free and strictly increasing, even under concurrent writers."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import FastAPI
from sqlalchemy import select

from app.auth.models import Account
from app.meetings.models import Meeting
from app.realtime.eventlog import EventRecord, StreamHead, meeting_stream, room_stream
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import RoomRemoved
from app.state import AppState

WRITERS = 8
EVENTS_PER_WRITER = 15


async def _meeting(state: AppState) -> uuid.UUID:
    async with state.database.write_sessions() as session:
        account = Account(email=f"{uuid.uuid4().hex}@example.org", display_name="O", password_hash="x")
        session.add(account)
        await session.flush()
        meeting = Meeting(owner_id=account.id, title="T", languages=["en"], join_code=uuid.uuid4().hex[:6])
        session.add(meeting)
        await session.commit()
        return meeting.id


async def test_concurrent_writers_get_gap_free_numbers_per_stream(app: FastAPI) -> None:
    state: AppState = app.state.breakouts
    meeting_id = await _meeting(state)
    streams = [meeting_stream(meeting_id), room_stream(uuid.uuid4())]

    async def writer(index: int) -> None:
        for n in range(EVENTS_PER_WRITER):
            async with unit_of_work(state.database.write_sessions, state.bus) as uow:
                # Two streams in one transaction, emitted in opposite orders by alternate commands.
                for stream in streams if (index + n) % 2 else reversed(streams):
                    await uow.emit(stream, meeting_id, "room.removed", RoomRemoved(room_id=uuid.uuid4()))

    await asyncio.gather(*(writer(i) for i in range(WRITERS)))

    async with state.database.reading() as session:
        for stream in streams:
            seqs = list(
                await session.scalars(
                    select(EventRecord.seq).where(EventRecord.stream == stream).order_by(EventRecord.id)
                )
            )
            expected = WRITERS * EVENTS_PER_WRITER
            assert sorted(seqs) == list(range(1, expected + 1)), stream
            head = await session.get(StreamHead, stream)
            assert head is not None and head.head_seq == expected


async def test_a_rolled_back_command_gives_its_number_back(app: FastAPI) -> None:
    state: AppState = app.state.breakouts
    meeting_id = await _meeting(state)
    stream = meeting_stream(meeting_id)

    class Refused(Exception):
        pass

    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        await uow.emit(stream, meeting_id, "room.removed", RoomRemoved(room_id=uuid.uuid4()))
    try:
        async with unit_of_work(state.database.write_sessions, state.bus) as uow:
            await uow.emit(stream, meeting_id, "room.removed", RoomRemoved(room_id=uuid.uuid4()))
            raise Refused
    except Refused:
        pass
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        await uow.emit(stream, meeting_id, "room.removed", RoomRemoved(room_id=uuid.uuid4()))

    assert [record.seq for record in uow.written] == [2]
    async with state.database.reading() as session:
        seqs = list(await session.scalars(select(EventRecord.seq).where(EventRecord.stream == stream)))
    assert sorted(seqs) == [1, 2]


async def test_events_reach_the_bus_only_after_commit(app: FastAPI) -> None:
    state: AppState = app.state.breakouts
    meeting_id = await _meeting(state)
    stream = meeting_stream(meeting_id)
    heard: list[int] = []
    await state.bus.subscribe(stream, lambda event: heard.append(event.seq))

    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        await uow.emit(stream, meeting_id, "room.removed", RoomRemoved(room_id=uuid.uuid4()))
        assert heard == []
    assert heard == [1]

    try:
        async with unit_of_work(state.database.write_sessions, state.bus) as uow:
            await uow.emit(stream, meeting_id, "room.removed", RoomRemoved(room_id=uuid.uuid4()))
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert heard == [1]


async def test_emit_refuses_data_of_the_wrong_model(app: FastAPI) -> None:
    state: AppState = app.state.breakouts
    meeting_id = await _meeting(state)
    try:
        async with unit_of_work(state.database.write_sessions, state.bus) as uow:
            await uow.emit(meeting_stream(meeting_id), meeting_id, "meeting.updated", RoomRemoved(room_id=meeting_id))
    except TypeError as error:
        assert "meeting.updated" in str(error)
    else:
        raise AssertionError("emit accepted data of the wrong model")
