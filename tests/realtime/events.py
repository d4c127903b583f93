"""Events written straight through the outbox, as any feature writes them: the realtime layer
delivers by stream and audience without knowing what events mean."""

from __future__ import annotations

import uuid

from app.database import utcnow
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import BroadcastSent, BroadcastView
from app.state import AppState


async def emit_broadcasts(
    state: AppState,
    meeting_id: uuid.UUID,
    stream: str,
    count: int,
    *,
    staff_text: str | None = None,
    size: int = 0,
) -> None:
    """``count`` events on ``stream`` in one transaction; ``staff_text`` sets a staff payload."""
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        for index in range(count):
            now = utcnow()
            data = BroadcastSent(
                broadcast=BroadcastView(id=uuid.uuid4(), message=f"note {index} " + "x" * size, created_at=now)
            )
            staff = None
            if staff_text is not None:
                staff = BroadcastSent(broadcast=BroadcastView(id=data.broadcast.id, message=staff_text, created_at=now))
            await uow.emit(stream, meeting_id, "broadcast.sent", data, staff_data=staff)
