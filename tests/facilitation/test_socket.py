"""The socket door calls the same services as REST, with the same validation and authorisation."""

from __future__ import annotations

import uuid

import pytest
from pydantic import BaseModel

from app.auth.access import Actor
from app.errors import Forbidden, InvalidInput
from app.facilitation.socket import SOCKET_COMMANDS
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import (
    BroadcastSend,
    BroadcastView,
    HelpRequest,
    HelpRequestView,
    HelpResolve,
    TimerExtend,
    TimerStart,
    TimerStop,
    TimerView,
)
from tests.findings.scene import Scene

HostCommand = TimerStart | TimerExtend | TimerStop | BroadcastSend | HelpRequest | HelpResolve


async def _run(scene: Scene, actor: Actor, command: HostCommand) -> BaseModel:
    async with unit_of_work(scene.state.database.write_sessions, scene.state.bus) as uow:
        result = await SOCKET_COMMANDS[command.type](uow, actor, command)
    assert isinstance(result, BaseModel)
    return result


async def _organiser(scene: Scene) -> Actor:
    me = (await scene.organiser.get("/api/auth/me")).json()
    return Actor(account_id=uuid.UUID(me["account"]["account_id"]))


async def test_timers_over_socket_commands(scene: Scene) -> None:
    moderator = Actor(participant_id=scene.moderator_a.id)
    started = await _run(
        scene,
        moderator,
        TimerStart(id="t1", type="timer.start", meeting_id=scene.meeting_id, room_id=scene.room_a, seconds=90),
    )
    assert isinstance(started, TimerView)
    extended = await _run(scene, moderator, TimerExtend(id="t2", type="timer.extend", timer_id=started.id, seconds=30))
    assert isinstance(extended, TimerView)
    assert (extended.ends_at - started.ends_at).total_seconds() == 30
    stopped = await _run(scene, moderator, TimerStop(id="t3", type="timer.stop", timer_id=started.id))
    assert isinstance(stopped, TimerView)
    assert stopped.stopped_at is not None
    with pytest.raises(Forbidden):
        await _run(scene, moderator, TimerStart(id="t4", type="timer.start", meeting_id=scene.meeting_id, seconds=90))
    types = [event.type for event in await scene.events(room_stream(scene.room_a), "timer.")]
    assert types == ["timer.started", "timer.extended", "timer.stopped"]


async def test_broadcast_and_help_over_socket_commands(scene: Scene) -> None:
    organiser = await _organiser(scene)
    sent = await _run(
        scene,
        organiser,
        BroadcastSend(id="b1", type="broadcast.send", meeting_id=scene.meeting_id, message="Back in 5"),
    )
    assert isinstance(sent, BroadcastView)
    with pytest.raises(InvalidInput, match="message"):
        await _run(
            scene, organiser, BroadcastSend(id="b2", type="broadcast.send", meeting_id=scene.meeting_id, message="  ")
        )
    with pytest.raises(Forbidden):
        await _run(
            scene,
            Actor(participant_id=scene.participant_a.id),
            BroadcastSend(id="b3", type="broadcast.send", meeting_id=scene.meeting_id, message="Hi all"),
        )

    asked = await _run(
        scene,
        Actor(participant_id=scene.participant_b.id),
        HelpRequest(id="h1", type="help.request", room_id=scene.room_b, message="Stuck"),
    )
    assert isinstance(asked, HelpRequestView)
    resolved = await _run(scene, organiser, HelpResolve(id="h2", type="help.resolve", help_id=asked.id))
    assert isinstance(resolved, HelpRequestView)
    assert resolved.resolved_at is not None

    assert [event.type for event in await scene.events(meeting_stream(scene.meeting_id), "broadcast.")] == [
        "broadcast.sent"
    ]
    staff = [event.type for event in await scene.events(staff_stream(scene.meeting_id), "help.")]
    assert staff == ["help.requested", "help.resolved"]
