"""The socket's limits, timings and closing codes, each with the reason for its value.

``docs/realtime.md`` restates them for client authors; change both together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum, StrEnum

SUBPROTOCOL = "breakouts.v1"
# The ticket rides in the Sec-WebSocket-Protocol header as "ticket.<ticket>", never in the URL,
# because uvicorn's access log prints the query string.
TICKET_SUBPROTOCOL_PREFIX = "ticket."
TICKET_TTL_S = 30  # Enough to open a socket on a slow phone, too short to be worth stealing.

# The largest client frame: a 2,000-character answer in Bengali (3 bytes a character) and its
# envelope fit with room to spare; anything larger is not a command.
MESSAGE_MAX_BYTES = 16 * 1024

# Frames queued for one socket. A burst in a busy room (40 people answering and voting within a
# few seconds) is a few hundred frames; a socket further behind than this is not reading, and
# holding more for it would let one phone grow the server's memory. Frames are shared strings, so
# the cost per queued frame is a pointer.
SEND_QUEUE_LIMIT = 512

# Client frames: a person clicks a few times a second at most; reconnecting with a backlog of
# answers typed offline may send a few dozen at once.
RATE_BURST = 50
RATE_PER_S = 10.0
# A flood is sustained excess: this many refused frames within the window closes with 1008.
FLOOD_WINDOW_S = 10.0
FLOOD_REFUSALS_MAX = 100

# Commands of one socket waiting behind the one being written. They run in the order sent while
# the reader goes on reading (pings, pongs and close frames are never stuck behind a command).
# Above the rate limit's burst, so that a client sending its offline backlog at once is never
# refused; a socket further ahead of the server than this gets ``busy`` for each extra command.
COMMAND_QUEUE_LIMIT = 64

# A phone, a laptop and a projector tab, and a couple of stale sockets still timing out.
MAX_CONNECTIONS_PER_ACTOR = 5

# The client pings this often; a socket silent for three heartbeats is dead (phones on a train
# lose the network without a TCP reset).
HEARTBEAT_S = 15
IDLE_TIMEOUT_S = 3 * HEARTBEAT_S
# The hub looks for silent sockets this often (one sweep over the process's sockets instead of a
# timer per socket, rearmed on every frame): a silent socket is closed within IDLE_TIMEOUT_S
# plus this.
IDLE_SWEEP_S = 5.0
HELLO_TIMEOUT_S = 10.0  # The hello follows the handshake at once in every client.
CLOSE_TIMEOUT_S = 2.0  # A close frame that cannot be written within this is given up on.

# Replay: events are kept this long, so a client that drops overnight still resumes; older
# cursors (and ones further behind than MAX_REPLAY_EVENTS) load a snapshot, which is cheaper.
EVENT_RETENTION = timedelta(hours=48)
MAX_REPLAY_EVENTS = 5000
REPLAY_BATCH = 500  # Rows read per query while replaying or filling a gap.
PENDING_EVENTS_LIMIT = 10_000  # Out-of-order events a stream holds while a gap is filled.
# Each stream's most recent events, kept in memory (encoded) so that a resume within them reads no
# database: a phone that drops for a minute in a busy room (40 people answering and voting) misses
# a few dozen to a couple of hundred events. The rings of this many streams are kept, the least
# recently written dropped first: with a hundred rooms of a few meetings, every stream's ring.
RING_EVENTS = 256
RING_STREAMS = 1000

# The bus may lose messages (Redis pub/sub is at-most-once): every process compares what it
# delivered with the log this often, so a lost message delays an event by at most this.
GAP_FILL_INTERVAL_S = 1.0
# An event that arrives ahead of its predecessor waits this long for it before the log is read:
# with several processes the predecessor is usually on its way (written on another process a
# moment earlier, it crosses Redis in a millisecond or two, more under load), and a read of the
# log per such overtaking costs each process a query. Only a message the bus really lost pays it.
GAP_GRACE_S = 0.1

# Presence: each process refreshes its sockets' rows this often; a row not refreshed within the
# timeout belongs to a dead process, so its people show as gone within PRESENCE_TIMEOUT_S plus a
# tick. Staff hear of changes on this process at once and of other processes within a tick.
PRESENCE_HEARTBEAT_S = 10.0
PRESENCE_TIMEOUT_S = 30.0
PRESENCE_TICK_S = 5.0

MAINTENANCE_INTERVAL_S = 3600.0  # Pruning old events, receipts, tickets and presence rows.


class CloseCode(IntEnum):
    """Why the server closed a socket. 4xxx codes are ours; the others are RFC 6455's."""

    NORMAL = 1000
    GOING_AWAY = 1001  # The server is shutting down: reconnect (to another process).
    POLICY = 1008  # A sustained flood or repeated abuse.
    TOO_BIG = 1009  # A frame over MESSAGE_MAX_BYTES.
    INTERNAL_ERROR = 1011  # A bug on our side: reconnect and resume.
    SERVICE_RESTART = 1012  # Sent by uvicorn itself on shutdown: reconnect.
    HELLO_EXPECTED = 4400  # No hello within HELLO_TIMEOUT_S, or a protocol version we do not speak.
    BAD_TICKET = 4401  # Missing, unknown, used or expired ticket: get a new one.
    FORBIDDEN = 4403  # The caller lost access to the meeting.
    TOO_SLOW = 4408  # The send queue overflowed, or no heartbeat: resume with your cursors.
    IDENTITY_CHANGED = 4409  # The person was matched to a roster entry: reconnect (a new ticket) as them.
    TOO_MANY_CONNECTIONS = 4429  # MAX_CONNECTIONS_PER_ACTOR reached: close another tab first.


class ErrorCode(StrEnum):
    """``error`` frame codes of the socket itself; commands add the REST codes (``forbidden``,
    ``not_found``, ``invalid``, ``conflict``, ``phase_not_allowed`` …)."""

    INVALID_JSON = "invalid_json"
    UNKNOWN_TYPE = "unknown_type"
    INVALID_FRAME = "invalid_frame"
    BINARY_FRAME = "binary_frame"
    HELLO_REQUIRED = "hello_required"
    HELLO_REPEATED = "hello_repeated"
    RATE_LIMITED = "rate_limited"
    STREAM_FORBIDDEN = "stream_forbidden"
    UNSUPPORTED = "unsupported"
    ID_REUSED = "id_reused"
    BUSY = "busy"  # COMMAND_QUEUE_LIMIT commands already wait on this socket: resend after an ack
    INTERNAL = "internal"


@dataclass(slots=True)
class TokenBucket:
    """``RATE_BURST`` frames at once, refilled at ``RATE_PER_S``; counts refusals for the flood
    rule. The clock is injectable for tests."""

    capacity: float = RATE_BURST
    per_s: float = RATE_PER_S
    tokens: float = RATE_BURST
    updated: float = 0.0
    refusals: int = 0
    window_start: float = 0.0

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_s)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        if now - self.window_start > FLOOD_WINDOW_S:
            self.window_start, self.refusals = now, 0
        self.refusals += 1
        return False

    def reserve(self, now: float | None = None) -> float:
        """Take a token even if there is none yet: the seconds to wait before using it (a client
        paces itself with this to stay under the server's limit)."""
        now = time.monotonic() if now is None else now
        if self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_s)
        self.updated = now
        self.tokens -= 1
        return max(0.0, -self.tokens / self.per_s)

    @property
    def flooding(self) -> bool:
        return self.refusals >= FLOOD_REFUSALS_MAX
