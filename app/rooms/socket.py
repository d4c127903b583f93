"""Socket door to finishing a room early: the same call as the REST route."""

from __future__ import annotations

from app.auth.access import Actor
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import RoomFinish
from app.rooms import finishing
from app.rooms.schemas import RoomFinishing, RoomRead
from app.socket_commands import SocketHandler


async def handle_room_finish(uow: UnitOfWork, actor: Actor, command: RoomFinish) -> RoomRead:
    return await finishing.finish_room(uow, actor, command.room_id, RoomFinishing(finished=command.finished))


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "room.finish": handle_room_finish,
}
