"""The process's one Redis client, built by the app's lifespan when ``BREAKOUTS_REDIS_URL`` is set
and closed at shutdown. The shared state kept in Redis (join throttle, tickets, presence) uses its
pool; the bus opens two bare connections of its own to the same server (``endpoint_of``)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.connection import SSLConnection

# A command that gets no answer within this is failed: a paused or unreachable Redis must cost a
# request a bounded wait (the callers then refuse with 503 or fall back to the event log).
COMMAND_TIMEOUT_S = 2.0
CONNECT_TIMEOUT_S = 2.0
# Connections per process for concurrent shared-state calls (the bus has its own two). A request
# waits for a free one rather than opening more.
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


@dataclass(frozen=True, slots=True)
class RedisEndpoint:
    """Where ``client`` connects, for the bus's own bare connections (``app/realtime/redis_link.py``):
    a TCP host and port or a Unix socket path, the credentials, and TLS for ``rediss://``."""

    host: str
    port: int
    path: str | None
    username: str | None
    password: str | None
    tls: ssl.SSLContext | None


def endpoint_of(client: Redis) -> RedisEndpoint:
    options = client.connection_pool.connection_kwargs
    tls: ssl.SSLContext | None = None
    if issubclass(client.connection_pool.connection_class, SSLConnection):
        tls = ssl.create_default_context(cafile=options.get("ssl_ca_certs"))
        if options.get("ssl_cert_reqs") == "none":
            tls.check_hostname = False
            tls.verify_mode = ssl.CERT_NONE
    return RedisEndpoint(
        host=str(options.get("host", "localhost")),
        port=int(options.get("port", 6379)),
        path=options.get("path"),
        username=options.get("username"),
        password=options.get("password"),
        tls=tls,
    )
