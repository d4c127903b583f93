"""The access checks of concurrent requests, read together.

Issuing a socket ticket checks the caller's access to the meeting. In a reconnect storm (2,000
phones back at once) or a join storm each check was a read transaction of its own, three
statements each through the driver's thread. ``AccessReads`` gathers the checks that arrive
while the last batch is read and answers them from one transaction of a few statements
(``meeting_accesses``: the same rules as ``meeting_access``, so the answers are the same). Nothing
is cached: every check reads what is committed when its batch starts.
"""

from __future__ import annotations

import uuid

from app.auth.access import Actor, MeetingAccess, meeting_accesses
from app.batching import Batches
from app.database import Database
from app.errors import DomainError, NotAuthenticated

# Checks answered from one read transaction at most (the statements' IN lists stay well within
# any database's parameter limit).
ACCESS_CHECKS_PER_READ = 256


class AccessReads:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._checks = Batches(self._read, most=ACCESS_CHECKS_PER_READ, name="access checks")

    @property
    def reads(self) -> int:
        """Read transactions made, for tests and the benchmark."""
        return self._checks.batches

    async def access(self, actor: Actor | None, meeting_id: uuid.UUID) -> MeetingAccess:
        """``meeting_access(session, actor, meeting_id)``, read with the checks waiting with it."""
        if actor is None:
            raise NotAuthenticated("sign in or open your invite link first")
        return await self._checks.submit((actor, meeting_id))

    async def _read(self, checks: list[tuple[Actor, uuid.UUID]]) -> list[MeetingAccess | DomainError]:
        async with self.database.reading() as session:
            found = await meeting_accesses(session, checks)
        return [found[check] for check in checks]
