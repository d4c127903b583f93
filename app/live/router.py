from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import ActorDep
from app.dependencies import StateDep
from app.errors import ERROR_RESPONSES
from app.live import service
from app.live.schemas import TicketCreate, TicketRead
from app.live.snapshot import consistent_reads, stream_snapshot
from app.realtime.protocol import StreamSnapshot

router = APIRouter(prefix="/api", tags=["live"], responses=ERROR_RESPONSES)


@router.post(
    "/realtime/tickets",
    status_code=status.HTTP_201_CREATED,
    summary="Get a single-use ticket that opens the socket",
    description="Valid for `expires_in_s` seconds, once. Open `/ws` offering `subprotocols` in the "
    "Sec-WebSocket-Protocol header (the ticket rides there, never in the URL). See docs/realtime.md.",
)
async def create_ticket(body: TicketCreate, state: StateDep, actor: ActorDep) -> TicketRead:
    return await service.issue_ticket(state.live.accesses, state.settings.secret_key.get_secret_value(), actor, body)


@router.get(
    "/live/snapshot",
    summary="A stream's state and the seq it reflects",
    description="Read in one transaction. Apply the stream's events with a higher seq to keep it current; "
    "load it when the socket says `resync_required`, or `resumed` for a stream you hold no state of.",
)
async def get_snapshot(
    meeting_id: uuid.UUID,
    stream: Annotated[str, Query(max_length=80, examples=["room:0b6f2f0e-8d3c-4c8e-9b43-3f2f4ad1d6a1"])],
    state: StateDep,
    actor: ActorDep,
) -> StreamSnapshot:
    async with state.database.reading() as session:
        await consistent_reads(session)
        return await stream_snapshot(session, state.settings, actor, meeting_id, stream)
