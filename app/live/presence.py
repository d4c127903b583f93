"""Presence for staff: who of the meeting is connected, where, and when last seen.

Every ``PRESENCE_TICK_S`` (and at once when a socket of this process opens, closes or moves, yet
at most every ``PRESENCE_ROUND_MIN_S``) the reporter reads each meeting's presence from the
``PresenceStore`` and the rooms people are in from the database, and sends the staff sockets of
that meeting an ephemeral ``presence.changed`` with the entries that changed (the full list when a
staff socket has just been welcomed). Moderators get the entries of their rooms only. It also
beats this process's heartbeat in the store every ``PRESENCE_HEARTBEAT_S``; see
``app/realtime/presence.py`` for convergence.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from sqlalchemy import select

from app.database import Database
from app.live.registry import LiveSocket, SocketRegistry
from app.participants.models import Participant
from app.realtime.connection import Connection
from app.realtime.frames import control_text
from app.realtime.hub import Hub
from app.realtime.limits import PRESENCE_HEARTBEAT_S, PRESENCE_TICK_S
from app.realtime.presence import PresenceMark, PresenceStore
from app.realtime.protocol import PresenceChanged, PresenceEntry

log = logging.getLogger("breakouts.presence")
# Rounds run at most this often: in a reconnect storm every socket that opens or closes touches
# its meeting, and a round per touch would re-read a crowded meeting's presence without pause.
PRESENCE_ROUND_MIN_S = 0.25
Seen = tuple[bool, uuid.UUID | None]


class PresenceReporter:
    def __init__(self, database: Database, hub: Hub, registry: SocketRegistry, store: PresenceStore) -> None:
        self.database = database
        self.hub = hub
        self.registry = registry
        self.store = store
        self._dirty: set[uuid.UUID] = set()
        self._wake = asyncio.Event()
        self._known: dict[uuid.UUID, dict[uuid.UUID, Seen]] = {}
        self._to_greet: set[Connection] = set()

    def touch(self, meeting_id: uuid.UUID) -> None:
        self._dirty.add(meeting_id)
        self._wake.set()

    def greet(self, socket: LiveSocket) -> None:
        """Send the welcomed staff socket the full list on the next report."""
        if socket.staff:
            self._to_greet.add(socket.connection)
            self.touch(socket.meeting_id)

    async def run(self) -> None:
        next_heartbeat = time.monotonic() + PRESENCE_HEARTBEAT_S
        last_round = 0.0
        while True:
            try:
                async with asyncio.timeout(PRESENCE_TICK_S):
                    await self._wake.wait()
            except TimeoutError:
                self._dirty.update(self.registry.meetings_with_staff())
            pause = last_round + PRESENCE_ROUND_MIN_S - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)  # the touches meanwhile join this round
            last_round = time.monotonic()
            self._wake.clear()
            try:
                if time.monotonic() >= next_heartbeat:
                    next_heartbeat = time.monotonic() + PRESENCE_HEARTBEAT_S
                    await self.store.heartbeat()
                dirty, self._dirty = self._dirty, set()
                for meeting_id in dirty:
                    await self.report(meeting_id)
            except Exception:
                log.exception("presence round failed")

    async def report(self, meeting_id: uuid.UUID) -> None:
        staff = [socket for socket in self.registry.of_meeting(meeting_id) if socket.staff]
        if not staff:
            self._known.pop(meeting_id, None)
            return
        marks = await self.store.of_meeting(meeting_id)
        async with self.database.polling() as session:
            rows = await session.execute(
                select(Participant.id, Participant.room_id).where(Participant.meeting_id == meeting_id)
            )
            rooms = {participant_id: room_id for participant_id, room_id in rows}
        # Compared as plain tuples first: in a crowded meeting most rounds change a few people, and
        # entries are built only for them (and for everyone when a staff socket is greeted).
        seen = {mark.participant_id: (mark.connected, rooms.get(mark.participant_id)) for mark in marks}
        known = self._known.get(meeting_id, {})
        self._known[meeting_id] = seen
        greeted = [s for s in staff if s.connection.welcomed and s.connection in self._to_greet]
        changed_marks = [mark for mark in marks if known.get(mark.participant_id) != seen[mark.participant_id]]
        if not greeted and not changed_marks:
            return
        changed = [self._entry(mark, seen[mark.participant_id]) for mark in changed_marks]
        entries = [self._entry(mark, seen[mark.participant_id]) for mark in marks] if greeted else changed
        for socket in staff:
            if not socket.connection.welcomed:
                continue
            if socket.connection in self._to_greet:
                self._to_greet.discard(socket.connection)
                self._send(socket, entries, known)
            elif changed:
                self._send(socket, changed, known)

    @staticmethod
    def _entry(mark: PresenceMark, seen: Seen) -> PresenceEntry:
        connected, room_id = seen
        return PresenceEntry(
            participant_id=mark.participant_id, room_id=room_id, connected=connected, last_seen=mark.last_seen
        )

    def _send(self, socket: LiveSocket, entries: list[PresenceEntry], before: dict[uuid.UUID, Seen]) -> None:
        if not socket.every_room:
            rooms = socket.room_ids()
            # A moderator also hears that someone left one of their rooms.
            entries = [
                entry
                for entry in entries
                if entry.room_id in rooms or before.get(entry.participant_id, (False, None))[1] in rooms
            ]
        if entries:
            socket.connection.push(control_text(PresenceChanged(entries=entries)))

    def forget(self, connection: Connection) -> None:
        self._to_greet.discard(connection)
