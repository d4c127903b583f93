"""Socket doors to raised hands: the same calls as REST."""

from __future__ import annotations

from app.auth.access import Actor
from app.hands import service
from app.hands.schemas import RaisedHandRead
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import HandAcknowledge, HandAnswer, HandLower, HandRaise
from app.socket_commands import SocketHandler


async def handle_hand_raise(uow: UnitOfWork, actor: Actor, command: HandRaise) -> RaisedHandRead:
    return await service.raise_hand(uow, actor, command.room_id)


async def handle_hand_lower(uow: UnitOfWork, actor: Actor, command: HandLower) -> RaisedHandRead:
    return await service.lower_hand(uow, actor, command.hand_id)


async def handle_hand_acknowledge(uow: UnitOfWork, actor: Actor, command: HandAcknowledge) -> RaisedHandRead:
    return await service.acknowledge_hand(uow, actor, command.hand_id)


async def handle_hand_answer(uow: UnitOfWork, actor: Actor, command: HandAnswer) -> RaisedHandRead:
    return await service.answer_hand(uow, actor, command.hand_id)


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "hand.raise": handle_hand_raise,
    "hand.lower": handle_hand_lower,
    "hand.acknowledge": handle_hand_acknowledge,
    "hand.answer": handle_hand_answer,
}
