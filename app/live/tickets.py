"""Socket tickets: signed, short-lived passes that carry what admitting a socket needs.

A ticket names the meeting, the caller (account, participant or projector link), the sessions it
was issued to, when it expires and a random id; an HMAC-SHA256 with the app's secret key signs it.
Issuing one writes nothing: any process holding the key can check it. Single use is the
``TicketLedger``'s: the first process to spend a ticket's id within its lifetime opens the socket,
every later attempt is refused. A ticket of a session revoked since it was issued opens nothing
(``SessionCache.live``).

Wire form: ``<payload>.<signature>``, both unpadded base64url (ticket characters are HTTP token
characters, so the ticket rides in ``Sec-WebSocket-Protocol``). The payload is packed binary:
version, expiry (Unix seconds), a 16-byte id, the meeting, then the optional ids a flag byte
announces.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import uuid
from dataclasses import dataclass

from app.auth.access import Actor

TICKET_VERSION = 1
_HEAD = struct.Struct(">BBI16s16s")  # version, flags, expires (Unix s), ticket id, meeting
_OPTIONAL = ("account_id", "participant_id", "projector_token_id", "account_session_id", "participant_session_id")
_SIGNATURE_BYTES = 24  # 192 bits: far beyond guessing within a ticket's 30 s


@dataclass(frozen=True, slots=True)
class TicketClaims:
    ticket_id: str  # random, hex: the ledger's key
    meeting_id: uuid.UUID
    expires_at: int  # Unix seconds
    actor: Actor


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret_key: str, payload: str) -> str:
    digest = hmac.new(secret_key.encode(), f"socket-ticket:{payload}".encode(), hashlib.sha256).digest()
    return _b64(digest[:_SIGNATURE_BYTES])


def sign_ticket(secret_key: str, meeting_id: uuid.UUID, actor: Actor, expires_at: int) -> str:
    """A fresh ticket for ``actor`` into ``meeting_id``, valid until ``expires_at`` (Unix s)."""
    ids = [getattr(actor, name) for name in _OPTIONAL]
    flags = sum(1 << bit for bit, value in enumerate(ids) if value is not None)
    raw = _HEAD.pack(TICKET_VERSION, flags, expires_at, secrets.token_bytes(16), meeting_id.bytes)
    raw += b"".join(value.bytes for value in ids if value is not None)
    payload = _b64(raw)
    return f"{payload}.{_sign(secret_key, payload)}"


def read_ticket(secret_key: str, ticket: str, now: float) -> TicketClaims | None:
    """The claims of a well-signed, unexpired ticket; None for anything else (forged, garbled,
    expired, of another version). Says nothing of whether it was used."""
    payload, _, signature = ticket.partition(".")
    if not payload or not signature or len(ticket) > 512:
        return None
    if not hmac.compare_digest(signature.encode(), _sign(secret_key, payload).encode()):
        return None
    try:
        raw = _unb64(payload)
        version, flags, expires_at, ticket_id, meeting = _HEAD.unpack_from(raw)
    except (binascii.Error, ValueError, struct.error):
        return None
    present = [bit for bit in range(len(_OPTIONAL)) if flags & (1 << bit)]
    if version != TICKET_VERSION or len(raw) != _HEAD.size + 16 * len(present) or expires_at <= now:
        return None
    values: dict[str, uuid.UUID | None] = dict.fromkeys(_OPTIONAL)
    for index, bit in enumerate(present):
        start = _HEAD.size + 16 * index
        values[_OPTIONAL[bit]] = uuid.UUID(bytes=raw[start : start + 16])
    return TicketClaims(
        ticket_id=ticket_id.hex(), meeting_id=uuid.UUID(bytes=meeting), expires_at=expires_at, actor=Actor(**values)
    )
