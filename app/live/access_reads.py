"""The access checks of concurrent requests, read together.

Issuing a socket ticket checks the caller's access to the meeting. In a reconnect storm (2,000
phones back at once) or a join storm each check was a read transaction of its own, three
statements each through the driver's thread. ``AccessReads`` gathers the checks that arrive
while the last batch is read and answers them from one transaction of a few statements
(``meeting_accesses``: the same rules as ``meeting_access``, so the answers are the same). Nothing
is cached: every check reads what is committed when its batch starts.
"""

from __future__ import annotations

import asyncio
import copy
import uuid

from app.auth.access import Actor, MeetingAccess, meeting_accesses
from app.database import Database
from app.errors import DomainError, NotAuthenticated

# Checks answered from one read transaction at most (the statements' IN lists stay well within
# any database's parameter limit).
ACCESS_CHECKS_PER_READ = 256

Waiting = tuple[Actor, uuid.UUID, "asyncio.Future[MeetingAccess | DomainError]"]


class AccessReads:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.reads = 0  # read transactions made, for tests and the benchmark
        self._waiting: list[Waiting] = []
        self._reading: asyncio.Task[None] | None = None

    async def access(self, actor: Actor | None, meeting_id: uuid.UUID) -> MeetingAccess:
        """``meeting_access(session, actor, meeting_id)``, read with the checks waiting with it."""
        if actor is None:
            raise NotAuthenticated("sign in or open your invite link first")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[MeetingAccess | DomainError] = loop.create_future()
        self._waiting.append((actor, meeting_id, future))
        if self._reading is None or self._reading.done():
            self._reading = loop.create_task(self._read_waiting(), name="access checks")
        # Shielded: a request that goes away does not cancel its neighbours' read.
        found = await asyncio.shield(future)
        if isinstance(found, DomainError):
            raise copy.copy(found)  # each request raises its own instance
        return found

    async def _read_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:ACCESS_CHECKS_PER_READ], self._waiting[ACCESS_CHECKS_PER_READ:]
            try:
                self.reads += 1
                async with self.database.reading() as session:
                    found = await meeting_accesses(session, [(actor, meeting_id) for actor, meeting_id, _ in batch])
            except Exception as error:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for actor, meeting_id, future in batch:
                if not future.done():
                    future.set_result(found[(actor, meeting_id)])
