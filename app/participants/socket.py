"""Socket commands of the participants feature: thin adapters over the same services as REST."""

from __future__ import annotations

from pydantic import BaseModel

from app.auth.access import Actor
from app.participants.assignment import move_participant
from app.participants.schemas import ParticipantMoveRequest
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ParticipantMove
from app.socket_commands import SocketHandler


async def handle_participant_move(uow: UnitOfWork, actor: Actor, command: ParticipantMove) -> BaseModel:
    """The organiser's drag-and-drop move: a full room refuses unless ``force`` is set, as over REST."""
    request = ParticipantMoveRequest(room_id=command.room_id, force=command.force)
    return await move_participant(uow, actor, command.participant_id, request)


SOCKET_COMMANDS: dict[str, SocketHandler] = {"participant.move": handle_participant_move}
