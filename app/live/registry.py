"""The sockets of this process, by meeting and by participant, with what their access allows."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from app.auth.access import Actor
from app.realtime.connection import Connection
from app.realtime.eventlog import StreamKind, staff_stream
from app.realtime.hub import Hub
from app.vocabulary import Role


@dataclass(eq=False, slots=True)
class LiveSocket:
    connection: Connection
    actor: Actor
    meeting_id: uuid.UUID
    participant_id: uuid.UUID | None
    role: Role
    staff: bool
    # Organisers and observers follow every room, including rooms created while connected.
    every_room: bool

    def room_ids(self) -> set[uuid.UUID]:
        prefix = f"{StreamKind.ROOM}:"
        return {
            uuid.UUID(stream.removeprefix(prefix)) for stream in self.connection.grants if stream.startswith(prefix)
        }


class SocketRegistry:
    """Keeps each meeting's staff stream flowing to the observers while any socket of the meeting
    is here: a participant moved out of the plenary hears of it only on the staff stream."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._by_meeting: dict[uuid.UUID, set[LiveSocket]] = defaultdict(set)
        self._by_participant: dict[uuid.UUID, set[LiveSocket]] = defaultdict(set)
        self._watched: set[uuid.UUID] = set()

    async def add(self, socket: LiveSocket) -> None:
        self._by_meeting[socket.meeting_id].add(socket)
        if socket.participant_id is not None:
            self._by_participant[socket.participant_id].add(socket)
        if socket.meeting_id not in self._watched:
            self._watched.add(socket.meeting_id)
            await self.hub.watch(staff_stream(socket.meeting_id))

    def remove(self, socket: LiveSocket) -> None:
        sockets = self._by_meeting.get(socket.meeting_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._by_meeting[socket.meeting_id]
                if socket.meeting_id in self._watched:
                    self._watched.discard(socket.meeting_id)
                    self.hub.unwatch(staff_stream(socket.meeting_id))
        if socket.participant_id is not None:
            mine = self._by_participant.get(socket.participant_id)
            if mine is not None:
                mine.discard(socket)
                if not mine:
                    del self._by_participant[socket.participant_id]

    def of_meeting(self, meeting_id: uuid.UUID) -> list[LiveSocket]:
        return list(self._by_meeting.get(meeting_id, ()))

    def of_participant(self, participant_id: uuid.UUID) -> list[LiveSocket]:
        return list(self._by_participant.get(participant_id, ()))

    def meetings_with_staff(self) -> list[uuid.UUID]:
        return [meeting_id for meeting_id, sockets in self._by_meeting.items() if any(s.staff for s in sockets)]
