"""Keeps live subscriptions in step with the meeting: a moved participant's sockets leave the old
room's stream and follow the new one at once; a walk-in matched to the roster reconnects as the
roster entry; rooms created, re-moderated or removed while staff are connected are followed or
left; a revoked projector link closes the projectors' sockets (4403); an erased person's sockets
are closed.

A socket that follows a stream this way gets ``resumed {stream, head}`` for it and loads that
stream's snapshot (it holds no state for it). The old room's stream carries the
``participant.moved`` event itself, so the person's screens learn of the move before the
subscription ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from app.live.registry import LiveSocket, SocketRegistry
from app.realtime.connection import Grant
from app.realtime.eventlog import CommittedEvent, StreamKind, room_stream
from app.realtime.limits import CloseCode
from app.realtime.protocol import (
    ParticipantErased,
    ParticipantMatched,
    ParticipantMoved,
    ProjectorLinkChanged,
    RoomChanged,
    RoomRemoved,
)
from app.vocabulary import Role


class SubscriptionMover:
    def __init__(
        self,
        registry: SocketRegistry,
        on_moved: Callable[[uuid.UUID], None],
        on_matched: Callable[[uuid.UUID], None] | None = None,
    ) -> None:
        self.registry = registry
        self.on_moved = on_moved
        # Told the walk-in's id: their sessions' cached lookups must not name them any more.
        self.on_matched = on_matched

    def __call__(self, event: CommittedEvent) -> None:
        if event.type == "participant.moved":
            self._participant_moved(ParticipantMoved.model_validate(event.payload))
        elif event.type == "participant.matched":
            matched = ParticipantMatched.model_validate(event.payload)
            if self.on_matched is not None:
                self.on_matched(matched.participant_id)
            # The walk-in's sessions now sign in as the roster entry; their sockets still speak
            # for the walk-in, who is gone: they reconnect, and come back as the entry.
            for socket in self.registry.of_participant(matched.participant_id):
                socket.connection.fail(CloseCode.IDENTITY_CHANGED, "matched to a roster entry")
        elif event.type == "projector.link_changed":
            meeting_id = _meeting_of(event)
            if meeting_id is not None and not ProjectorLinkChanged.model_validate(event.payload).shared:
                # The link was revoked: the projectors it opened lose the meeting at once.
                for socket in self.registry.of_meeting(meeting_id):
                    if socket.actor.projector_token_id is not None:
                        socket.connection.fail(CloseCode.FORBIDDEN, "the projector link was revoked")
        elif event.type == "participant.erased":
            # Their sessions were revoked with the erasure (and the bus said so); this closes the
            # sockets on every process that follows the meeting's staff stream, even if that
            # notice was lost.
            erased = ParticipantErased.model_validate(event.payload)
            for socket in self.registry.of_participant(erased.participant_id):
                socket.connection.fail(CloseCode.FORBIDDEN, "this person's data was erased")
        elif event.type in ("room.created", "room.updated"):
            meeting_id = _meeting_of(event)
            if meeting_id is not None:
                self._room_changed(meeting_id, RoomChanged.model_validate(event.payload))
        elif event.type == "room.removed":
            meeting_id = _meeting_of(event)
            if meeting_id is not None:
                removed = RoomRemoved.model_validate(event.payload)
                for socket in self.registry.of_meeting(meeting_id):
                    socket.connection.leave(room_stream(removed.room_id))

    def _participant_moved(self, moved: ParticipantMoved) -> None:
        # Seen on the staff stream and on both rooms' streams: the first sighting does the work.
        sockets = [s for s in self.registry.of_participant(moved.participant_id) if s.role is Role.PARTICIPANT]
        for socket in sockets:
            if moved.from_room_id is not None:
                socket.connection.leave(room_stream(moved.from_room_id))
            if moved.to_room_id is not None:
                socket.connection.follow(Grant(room_stream(moved.to_room_id), staff=False))
        if sockets:
            self.on_moved(sockets[0].meeting_id)

    def _room_changed(self, meeting_id: uuid.UUID, changed: RoomChanged) -> None:
        stream = room_stream(changed.room.id)
        for socket in self.registry.of_meeting(meeting_id):
            if _sees(socket, changed):
                socket.connection.follow(Grant(stream, staff=socket.staff))
            elif socket.role is Role.MODERATOR:
                socket.connection.leave(stream)


def _sees(socket: LiveSocket, changed: RoomChanged) -> bool:
    if socket.every_room:
        return True
    return socket.role is Role.MODERATOR and socket.participant_id in changed.room.moderator_ids


def _meeting_of(event: CommittedEvent) -> uuid.UUID | None:
    kind, _, identifier = event.stream.partition(":")
    if kind != StreamKind.MEETING:
        return None
    return uuid.UUID(identifier)
