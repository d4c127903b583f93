"""The process's one Redis client, built by the app's lifespan when ``BREAKOUTS_REDIS_URL`` is set
and closed at shutdown. The bus takes one connection of its pool for its subscription; the shared
state kept in Redis (join throttle, and whatever else is given the client) uses the rest."""

from __future__ import annotations

from redis.asyncio import Redis

# A command that gets no answer within this is failed: a paused or unreachable Redis must cost a
# request a bounded wait (the callers then refuse with 503 or fall back to the event log).
COMMAND_TIMEOUT_S = 2.0
CONNECT_TIMEOUT_S = 2.0
# Connections per process: the bus's subscription, its publisher and concurrent shared-state
# calls. A request waits for a free one rather than opening more.
MAX_CONNECTIONS = 64


def create_redis(url: str) -> Redis:
    """A client for ``url`` (nothing is connected until the first command)."""
    client: Redis = Redis.from_url(
        url,
        socket_timeout=COMMAND_TIMEOUT_S,
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        max_connections=MAX_CONNECTIONS,
        health_check_interval=30,
    )
    return client
