from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from app.inputs import Input
from app.realtime.limits import SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX


class TicketCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"meeting_id": "0b6f2f0e-8d3c-4c8e-9b43-3f2f4ad1d6a1"}]})

    meeting_id: uuid.UUID


class TicketRead(BaseModel):
    """Open ``/ws`` offering both ``subprotocols`` (``new WebSocket(url, subprotocols)``)."""

    ticket: str
    expires_in_s: int
    subprotocols: list[str] = Field(description="Offer these in Sec-WebSocket-Protocol; the ticket rides there.")

    @classmethod
    def of(cls, ticket: str, expires_in_s: int) -> TicketRead:
        return cls(
            ticket=ticket, expires_in_s=expires_in_s, subprotocols=[SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX + ticket]
        )
