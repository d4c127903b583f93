"""Socket doors to driving the meeting: the same service calls as the REST routes."""

from __future__ import annotations

from app.auth.access import Actor
from app.meetings import service
from app.meetings.schemas import CountdownExtension, CurrentItemChange, MeetingRead, PhaseChange
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import AgendaSetCurrent, BreakoutsCountdownCancel, BreakoutsCountdownExtend
from app.realtime.protocol import PhaseChange as PhaseChangeCommand
from app.socket_commands import SocketHandler


async def handle_change_phase(uow: UnitOfWork, actor: Actor, command: PhaseChangeCommand) -> MeetingRead:
    request = PhaseChange(
        phase=command.phase, countdown_s=command.countdown_s, duration_s=command.duration_s, item_id=command.item_id
    )
    return await service.change_phase(uow, actor, command.meeting_id, request)


async def handle_cancel_countdown(uow: UnitOfWork, actor: Actor, command: BreakoutsCountdownCancel) -> MeetingRead:
    return await service.cancel_countdown(uow, actor, command.meeting_id)


async def handle_extend_countdown(uow: UnitOfWork, actor: Actor, command: BreakoutsCountdownExtend) -> MeetingRead:
    return await service.extend_countdown(uow, actor, command.meeting_id, CountdownExtension(seconds=command.seconds))


async def handle_set_current(uow: UnitOfWork, actor: Actor, command: AgendaSetCurrent) -> MeetingRead:
    return await service.set_current_item(uow, actor, command.meeting_id, CurrentItemChange(item_id=command.item_id))


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "meeting.change_phase": handle_change_phase,
    "meeting.cancel_countdown": handle_cancel_countdown,
    "meeting.extend_countdown": handle_extend_countdown,
    "agenda.set_current": handle_set_current,
}
