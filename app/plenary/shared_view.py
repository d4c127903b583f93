"""The plenary view, computed once per meeting and change and shared by every reader.

At report-back every phone of the meeting asks for the same view within a second or two. Each
reader's request only checks its access and reads the view's version: the heads of the meeting's
streams (one small query). Every change the view shows (an answer, a vote, a finding, a curation
step, the focus, the phase) is an event on one of those streams, so the version moves with it.
The view is kept per (meeting, question, audience) as the encoded JSON of its last version and
served as those bytes to every reader of that version. Readers of a version not yet built wait
for the one build under way (single flight): two thousand phones asking at once cause one build.

A build loads the material in its own read session (holding one connection, not one per reader)
and merges and encodes it in a thread, so the event loop keeps serving sockets meanwhile (not in
the exports' worker process: every phone waits for this build, which must not queue behind an
export). A build
starts after its reader read the version, so what it shows is at least as new as that version.
A few changes emit no event (a person renaming themselves when they reopen their invite link):
a view is therefore rebuilt, at the latest, ``MAX_AGE_S`` after it was built.

Admission (``app.admission``): the readers' light checks take a few of the read pool's
connections at a time and the builds fewer still; a line longer than its bound, or a wait longer
than its limit, is answered 503 ``overloaded`` with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import gzip
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.admission import Admission
from app.auth.access import Actor, meeting_access
from app.database import Database
from app.errors import NotFound
from app.meetings.models import Meeting
from app.plenary.disclosure import Audience, Disclosure
from app.plenary.material import Material, load_material
from app.plenary.merge import build_plenary
from app.plenary.service import plenary_disclosure, require_question
from app.realtime.eventlog import StreamHead
from app.static_site import accepted_encodings

MAX_AGE_S = 10.0
# The view of a large meeting is a megabyte of JSON, sent to every phone at report-back: it is
# compressed once per version (to about a sixth) and the compressed bytes are sent to every reader
# that accepts gzip.
GZIP_LEVEL = 6
VIEWS_KEPT = 256  # (meeting, question, audience) entries; the oldest built goes first


@dataclass(frozen=True, slots=True)
class ViewKey:
    meeting_id: uuid.UUID
    question_id: uuid.UUID | None
    audience: Audience


Version = tuple[int, int, int]  # streams, the sum of their heads, the sum of their epochs
# Checks a reader's right to the view in the reader's session: the meeting and what it may see.
Admit = Callable[[AsyncSession], Awaitable[tuple[uuid.UUID, Disclosure]]]


@dataclass(frozen=True, slots=True)
class BuiltView:
    version: Version
    body: bytes
    gzipped: bytes  # the same, compressed once for every reader that accepts gzip (every browser)
    built_at: float


async def plenary_version(session: AsyncSession, meeting_id: uuid.UUID) -> Version:
    """Moves whenever an event is written on any stream of the meeting (or a stream is reset)."""
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(StreamHead.head_seq), 0),
                func.coalesce(func.sum(StreamHead.epoch), 0),
            ).where(StreamHead.meeting_id == meeting_id)
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


class SharedPlenaryViews:
    def __init__(self, database: Database, readers: Admission, builds: Admission) -> None:
        self.database = database
        self.readers = readers
        self.builds = builds
        self._views: dict[ViewKey, BuiltView] = {}
        self._flights: dict[tuple[ViewKey, Version], asyncio.Task[BuiltView]] = {}
        self.computations = 0  # views built since start (what single flight keeps low)

    async def read(self, actor: Actor | None, meeting_id: uuid.UUID, question_id: uuid.UUID | None) -> BuiltView:
        """The encoded ``PlenaryRead`` this actor may see, built at most once per version."""

        async def admit(session: AsyncSession) -> tuple[uuid.UUID, Disclosure]:
            return meeting_id, plenary_disclosure(await meeting_access(session, actor, meeting_id))

        return await self.read_admitted(admit, question_id)

    async def read_admitted(self, admit: Admit, question_id: uuid.UUID | None) -> BuiltView:
        """The view for a reader that ``admit`` resolves to a meeting and a disclosure (or refuses)."""
        async with self.readers.slot(), self.database.reading() as session:
            meeting_id, disclosure = await admit(session)
            if question_id is not None:
                await require_question(session, meeting_id, question_id)
            version = await plenary_version(session, meeting_id)
        key = ViewKey(meeting_id, question_id, disclosure.audience)
        built = self._views.get(key)
        if built is not None and built.version == version and time.monotonic() - built.built_at < MAX_AGE_S:
            return built
        flight = self._flights.get((key, version))
        if flight is None:
            flight = asyncio.get_running_loop().create_task(self._build(key, version, disclosure))
            self._flights[(key, version)] = flight
            flight.add_done_callback(lambda _: self._flights.pop((key, version), None))
        # Shielded: a reader that gives up does not cancel the build the others wait for.
        return await asyncio.shield(flight)

    async def _build(self, key: ViewKey, version: Version, disclosure: Disclosure) -> BuiltView:
        async with self.builds.slot():
            async with self.database.reading() as session:
                meeting = await session.get(Meeting, key.meeting_id)
                if meeting is None:
                    raise NotFound("meeting not found")
                material = await load_material(session, meeting, key.question_id)
            self.computations += 1
            body, gzipped = await asyncio.to_thread(_encode, material, disclosure)
        built = BuiltView(version, body, gzipped, time.monotonic())
        current = self._views.get(key)
        if current is None or current.built_at <= built.built_at:
            self._views[key] = built
        while len(self._views) > VIEWS_KEPT:
            del self._views[min(self._views, key=lambda k: self._views[k].built_at)]
        return built


def _encode(material: Material, disclosure: Disclosure) -> tuple[bytes, bytes]:
    body = build_plenary(material, disclosure).model_dump_json().encode()
    return body, gzip.compress(body, GZIP_LEVEL, mtime=0)


def view_response(built: BuiltView, accept_encoding: str | None) -> Response:
    """The built view as an HTTP response: its gzip copy for every reader that accepts gzip."""
    if "gzip" in accepted_encodings(accept_encoding):
        headers = {"content-encoding": "gzip", "vary": "accept-encoding"}
        return Response(content=built.gzipped, media_type="application/json", headers=headers)
    return Response(content=built.body, media_type="application/json", headers={"vary": "accept-encoding"})
