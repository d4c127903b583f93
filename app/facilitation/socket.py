"""Socket doors to the host channels: each command maps onto the REST body, then the same call."""

from __future__ import annotations

from app.auth.access import Actor
from app.facilitation import service
from app.facilitation.schemas import (
    BroadcastCreate,
    BroadcastRead,
    HelpCreate,
    HelpRead,
    TimerCreate,
    TimerExtension,
    TimerRead,
)
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import BroadcastSend, HelpResolve, TimerExtend, TimerStart, TimerStop
from app.realtime.protocol import HelpRequest as HelpRequestCommand
from app.socket_commands import SocketHandler, command_body, command_fields


async def handle_timer_start(uow: UnitOfWork, actor: Actor, command: TimerStart) -> TimerRead:
    body = command_body(TimerCreate, command_fields(command, "room_id", "seconds", "label"))
    return await service.start_timer(uow, actor, command.meeting_id, body)


async def handle_timer_extend(uow: UnitOfWork, actor: Actor, command: TimerExtend) -> TimerRead:
    return await service.extend_timer(
        uow, actor, command.timer_id, command_body(TimerExtension, command_fields(command, "seconds"))
    )


async def handle_timer_stop(uow: UnitOfWork, actor: Actor, command: TimerStop) -> TimerRead:
    return await service.stop_timer(uow, actor, command.timer_id)


async def handle_broadcast_send(uow: UnitOfWork, actor: Actor, command: BroadcastSend) -> BroadcastRead:
    body = command_body(BroadcastCreate, command_fields(command, "message"))
    return await service.send_broadcast(uow, actor, command.meeting_id, body)


async def handle_help_request(uow: UnitOfWork, actor: Actor, command: HelpRequestCommand) -> HelpRead:
    return await service.request_help(
        uow, actor, command.room_id, command_body(HelpCreate, command_fields(command, "message"))
    )


async def handle_help_resolve(uow: UnitOfWork, actor: Actor, command: HelpResolve) -> HelpRead:
    return await service.resolve_help(uow, actor, command.help_id)


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "timer.start": handle_timer_start,
    "timer.extend": handle_timer_extend,
    "timer.stop": handle_timer_stop,
    "broadcast.send": handle_broadcast_send,
    "help.request": handle_help_request,
    "help.resolve": handle_help_resolve,
}
