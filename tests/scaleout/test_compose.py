"""compose.yaml, read as Docker would (there is no Docker engine here): valid against the Compose
specification's schema, and the topology it describes — PostgreSQL, Redis, two or more Breakouts
processes that share them, a one-shot migration before them, and nginx in front with the
WebSocket upgrade and no sticky sessions. Then the same topology run with local processes: the
compose file's app services as server processes on one PostgreSQL database and one Redis, behind
a round-robin proxy, with clients that land on whichever process the proxy picks."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema
import pytest
import yaml
from redis.asyncio import Redis

from app.client.connection import LiveClient
from app.realtime.redis_bus import stream_channel
from tests.scaleout.cluster import answer_ids, cluster, follow_until, join_room, stage_room
from tests.scaleout.floods import answer_in_turn
from tests.scaleout.proxy import RoundRobinProxy
from tests.scaleout.redis_server import own_redis
from tests.server_process import ORIGIN

ROOT = Path(__file__).resolve().parents[2]
ANSWERS_EACH = 4


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def _app_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("build") == "." and "breakouts serve" in " ".join(service.get("command", []))
    }


def test_compose_is_valid_against_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    jsonschema.validate(_compose(), schema)


def test_compose_runs_two_processes_on_postgres_and_redis_behind_nginx() -> None:
    compose = _compose()
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    apps = _app_services(compose)
    assert len(apps) >= 2
    for name, service in apps.items():
        environment = service["environment"]
        assert urlsplit(environment["BREAKOUTS_DATABASE_URL"]).hostname == "postgres", name
        assert urlsplit(environment["BREAKOUTS_REDIS_URL"]).hostname == "redis", name
        assert "ports" not in service, f"{name}: only the load balancer is reachable from outside"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/readyz" in " ".join(service["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["breakouts", "db", "upgrade"]

    balancers = [service for service in services.values() if str(service.get("image", "")).startswith("nginx:")]
    assert len(balancers) == 1
    balancer = balancers[0]
    assert balancer["ports"] == ["8000:8000"]
    mounted = {volume.split(":")[1]: volume.split(":")[0] for volume in balancer["volumes"]}
    config = (ROOT / mounted["/etc/nginx/nginx.conf"]).read_text()
    code = "\n".join(line.split("#", 1)[0] for line in config.splitlines())  # comments out
    upstream = re.search(r"upstream breakouts \{(.*?)\}", code, re.S)
    assert upstream is not None
    assert sorted(re.findall(r"server (\S+):8000", upstream.group(1))) == sorted(apps)
    for sticky in ("ip_hash", "hash ", "sticky"):
        assert sticky not in upstream.group(1)
    assert "proxy_set_header Upgrade $http_upgrade;" in code
    assert "proxy_set_header Connection $connection_upgrade;" in code
    assert "proxy_http_version 1.1;" in code
    # Longer than a socket's three silent heartbeats (45 s), or nginx would cut quiet sockets.
    assert int(re.search(r"proxy_read_timeout (\d+)s;", code).group(1)) > 45  # type: ignore[union-attr]


@pytest.mark.postgres
async def test_the_compose_topology_with_local_processes() -> None:
    apps = sorted(_app_services(_compose()))
    async with own_redis() as redis, cluster(redis.url, names=tuple(apps), workers=1) as c:
        proxy = RoundRobinProxy([server.port for server in c.servers])
        async with proxy.serving() as lb_url:
            organiser = await c.organiser(via=apps[0])
            scene = await stage_room(organiser, via=apps[0])
            clients: list[LiveClient] = []
            for index in range(2 * len(apps)):
                member = await join_room(c, organiser, scene, f"p{index}", via=apps[index % len(apps)])
                http = await c.stack.enter_async_context(
                    httpx.AsyncClient(base_url=lb_url, headers={"authorization": f"Bearer {member.token}"}, timeout=30)
                )
                client = LiveClient(lb_url, http, scene.meeting_id, origin=ORIGIN, name=f"p{index}")
                c.stack.push_async_callback(client.close)
                await client.connect()
                await client.until_resumed()
                clients.append(client)
            starts = {client.name: client.cursors[scene.stream] for client in clients}
            await answer_in_turn(clients, scene, ANSWERS_EACH)
            # A reconnect lands wherever the proxy sends it, and resumes there.
            await clients[0].drop()
            await clients[1].command(
                "answer.submit", id="while-away", room_id=scene.room_id, question_id=scene.question_id, text="x"
            )
            await clients[0].connect()
            assert (await clients[0].until_resumed())[scene.stream]["type"] == "resumed"

            head = (await c.heads([scene.stream]))[scene.stream]
            for client in clients:
                events = await follow_until(client, scene.stream, head)
                assert [event.seq for event in events] == list(range(starts[client.name] + 1, head + 1))
                assert len(set(answer_ids(events))) == len(clients) * ANSWERS_EACH + 1
                assert client.duplicates == 0 and client.gaps == 0
            assert all(count > 0 for count in proxy.sockets_per_port.values())
            counter = Redis.from_url(redis.url)
            try:
                subscribed = dict(await counter.pubsub_numsub(stream_channel(scene.stream)))
            finally:
                await counter.aclose()
            assert subscribed[stream_channel(scene.stream).encode()] == len(apps)  # sockets on each
