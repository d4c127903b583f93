"""The sockets of this process, by meeting, by participant and by session, with what their
access allows."""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from app.auth.access import Actor
from app.realtime.connection import Connection
from app.realtime.eventlog import StreamKind, staff_stream
from app.realtime.hub import Hub
from app.realtime.limits import TICKET_TTL_S, CloseCode
from app.vocabulary import Role

# How long a revocation is remembered: a socket whose ticket was redeemed just before its session
# was revoked may reach the registry just after; it is refused then. Admission takes moments; a
# ticket lives TICKET_TTL_S.
REVOCATION_MEMORY_S = 2 * TICKET_TTL_S
SIGNED_OUT = "signed out: the session was revoked"


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
        # Lists: a participant or a session holds a few sockets (``MAX_CONNECTIONS_PER_ACTOR``),
        # and a list of one costs a quarter of a set of one, for every socket of the process.
        self._by_participant: dict[uuid.UUID, list[LiveSocket]] = {}
        self._by_session: dict[uuid.UUID, list[LiveSocket]] = {}
        self._revoked: dict[uuid.UUID, float] = {}
        self._watched: set[uuid.UUID] = set()

    async def add(self, socket: LiveSocket) -> None:
        self._by_meeting[socket.meeting_id].add(socket)
        if socket.participant_id is not None:
            self._by_participant.setdefault(socket.participant_id, []).append(socket)
        for session_id in socket.actor.session_ids:
            self._by_session.setdefault(session_id, []).append(socket)
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
            _discard(self._by_participant, socket.participant_id, socket)
        for session_id in socket.actor.session_ids:
            _discard(self._by_session, session_id, socket)

    def close_sessions(self, session_ids: Collection[uuid.UUID]) -> None:
        """Close (4403) every socket that these revoked sessions opened here, and refuse those
        still being admitted (``revoked``)."""
        now = time.monotonic()
        self._revoked = {i: at for i, at in self._revoked.items() if now - at < REVOCATION_MEMORY_S}
        for session_id in session_ids:
            self._revoked[session_id] = now
            for socket in list(self._by_session.get(session_id, ())):
                socket.connection.fail(CloseCode.FORBIDDEN, SIGNED_OUT)

    def revoked(self, socket: LiveSocket) -> bool:
        """Whether a session of this socket was revoked lately (its admission raced the revocation)."""
        now = time.monotonic()
        return any(
            now - self._revoked.get(i, -REVOCATION_MEMORY_S) < REVOCATION_MEMORY_S for i in socket.actor.session_ids
        )

    def of_meeting(self, meeting_id: uuid.UUID) -> list[LiveSocket]:
        return list(self._by_meeting.get(meeting_id, ()))

    def of_participant(self, participant_id: uuid.UUID) -> list[LiveSocket]:
        return list(self._by_participant.get(participant_id, ()))

    def meetings_with_staff(self) -> list[uuid.UUID]:
        return [meeting_id for meeting_id, sockets in self._by_meeting.items() if any(s.staff for s in sockets)]


def _discard(index: dict[uuid.UUID, list[LiveSocket]], key: uuid.UUID, socket: LiveSocket) -> None:
    sockets = index.get(key)
    if sockets is not None and socket in sockets:
        sockets.remove(socket)
        if not sockets:
            del index[key]
