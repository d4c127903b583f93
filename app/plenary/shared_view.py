"""The plenary view, computed once per meeting and change and shared by every reader.

At report-back every phone of the meeting asks for the same view within a second or two. Each
reader's request only checks its access and reads the view's version: the heads of the meeting's
streams. The readers that arrive together are checked together, in a few statements for all of
them (``app.plenary.reader_checks``). Every change the view shows (an answer, a vote, a finding, a curation
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

Each version's bytes carry an ``ETag`` (one per encoding, a digest of the bytes sent): a phone
that sends it back in ``If-None-Match`` after its checks gets ``304 Not Modified`` and no body.
The tag depends only on the bytes, so a rebuild that shows the same still answers 304, and a
reader of another audience can never match a tag of a view it may not see with its own.

With several processes (Redis set), a view is also built once across them: the first process to
miss a version claims its build and stores the bytes in Redis, the others wait for them and
serve the same bytes (``app.plenary.view_store``); without Redis, or when it fails, each process
builds its own.

Admission (``app.admission``): the readers' checks take one of the read pool's connections per
batch and the builds a few more; a line longer than its bound, or a wait longer than its limit,
is answered 503 ``overloaded`` with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
import uuid
from dataclasses import dataclass

from fastapi import Response
from redis.asyncio import Redis

from app.admission import Admission
from app.auth.access import Actor
from app.database import Database
from app.errors import NotFound
from app.meetings.models import Meeting
from app.plenary.disclosure import Audience, Disclosure
from app.plenary.material import Material, load_material
from app.plenary.merge import build_plenary
from app.plenary.reader_checks import Admit, ReaderChecks, ReaderRequest, Version
from app.plenary.view_store import RedisViewStore
from app.static_site import accepted_encodings, etag_matches

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


@dataclass(frozen=True, slots=True)
class BuiltView:
    version: Version
    body: bytes
    gzipped: bytes  # the same, compressed once for every reader that accepts gzip (every browser)
    built_at: float
    etag: str  # of ``body``
    gzipped_etag: str  # of ``gzipped``


class SharedPlenaryViews:
    def __init__(
        self, database: Database, readers: Admission, builds: Admission, *, redis: Redis | None = None
    ) -> None:
        self.database = database
        self.checks = ReaderChecks(database, readers)
        self.builds = builds
        # Shared with the other processes through Redis when it is set.
        self.store = RedisViewStore(redis, max_age_s=MAX_AGE_S) if redis is not None else None
        self._views: dict[ViewKey, BuiltView] = {}
        self._flights: dict[tuple[ViewKey, Version], asyncio.Task[BuiltView]] = {}
        self.computations = 0  # views built since start (what single flight keeps low)

    @property
    def readers(self) -> Admission:
        """The readers' admission: each batch of their checks holds one of its slots."""
        return self.checks.admission

    @readers.setter
    def readers(self, admission: Admission) -> None:
        self.checks.admission = admission

    async def read(self, actor: Actor | None, meeting_id: uuid.UUID, question_id: uuid.UUID | None) -> BuiltView:
        """The encoded ``PlenaryRead`` this actor may see, built at most once per version."""
        return await self._read(ReaderRequest(question_id, actor=actor, meeting_id=meeting_id))

    async def read_admitted(self, admit: Admit, question_id: uuid.UUID | None) -> BuiltView:
        """The view for a reader that ``admit`` resolves to a meeting and a disclosure (or refuses)."""
        return await self._read(ReaderRequest(question_id, admit=admit))

    async def _read(self, request: ReaderRequest) -> BuiltView:
        checked = await self.checks.check(request)
        version, disclosure = checked.version, checked.disclosure
        key = ViewKey(checked.meeting_id, request.question_id, disclosure.audience)
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
        if self.store is None:
            return self._keep(key, await self._compute(key, version, disclosure))
        name = _store_name(key, version)
        stored = await self.store.wait_or_claim(name)
        if stored is not None:
            built_at = time.monotonic() - stored.age_s
            body, gzipped = stored.body, stored.gzipped
            return self._keep(key, BuiltView(version, body, gzipped, built_at, _etag(body), _etag(gzipped)))
        wall = time.time()
        try:
            built = await self._compute(key, version, disclosure)
        except BaseException:
            await asyncio.shield(self.store.release(name))
            raise
        await asyncio.shield(self.store.put(name, built.body, built.gzipped, wall))
        return self._keep(key, built)

    async def _compute(self, key: ViewKey, version: Version, disclosure: Disclosure) -> BuiltView:
        async with self.builds.slot():
            async with self.database.reading() as session:
                meeting = await session.get(Meeting, key.meeting_id)
                if meeting is None:
                    raise NotFound("meeting not found")
                material = await load_material(session, meeting, key.question_id)
            self.computations += 1
            body, gzipped = await asyncio.to_thread(_encode, material, disclosure)
        return BuiltView(version, body, gzipped, time.monotonic(), _etag(body), _etag(gzipped))

    def _keep(self, key: ViewKey, built: BuiltView) -> BuiltView:
        current = self._views.get(key)
        if current is None or current.built_at <= built.built_at:
            self._views[key] = built
        while len(self._views) > VIEWS_KEPT:
            del self._views[min(self._views, key=lambda k: self._views[k].built_at)]
        return built


def _store_name(key: ViewKey, version: Version) -> str:
    """The view and its version, as the processes name it in Redis."""
    question = key.question_id.hex if key.question_id is not None else "-"
    return f"{key.meeting_id.hex}:{question}:{key.audience.value}:" + ".".join(str(part) for part in version)


def _encode(material: Material, disclosure: Disclosure) -> tuple[bytes, bytes]:
    body = build_plenary(material, disclosure).model_dump_json().encode()
    return body, gzip.compress(body, GZIP_LEVEL, mtime=0)


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def view_response(built: BuiltView, accept_encoding: str | None, if_none_match: str | None) -> Response:
    """The built view as an HTTP response: its gzip copy for every reader that accepts gzip, or
    304 with no body when the reader already has these bytes. Browsers keep it and ask again
    with its tag (``no-cache``); nobody else may keep it (``private``)."""
    headers = {"vary": "accept-encoding", "cache-control": "private, no-cache"}
    if "gzip" in accepted_encodings(accept_encoding):
        content, headers["etag"] = built.gzipped, built.gzipped_etag
        headers["content-encoding"] = "gzip"
    else:
        content, headers["etag"] = built.body, built.etag
    if etag_matches(if_none_match, headers["etag"]):
        return Response(status_code=304, headers=headers)
    return Response(content=content, media_type="application/json", headers=headers)
