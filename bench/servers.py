"""The servers under test, each started as its own process pinned to the server's core.

Breakouts runs as ``breakouts serve`` runs it (from ``BENCH_BREAKOUTS_ROOT`` when set: another
checkout of the project, e.g. the previous version, measured with this benchmark) (uvicorn, uvloop, httptools, the websockets
sans-I/O protocol, no per-message deflate, no access log), from a fresh SQLite file. The peers on
uvicorn get the same flags; the raw ``websockets`` peer runs on uvloop; socketify runs its own
libuv loop.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def breakouts_root() -> Path:
    """Where the Breakouts under test lives: this checkout, or ``BENCH_BREAKOUTS_ROOT``."""
    return Path(os.environ.get("BENCH_BREAKOUTS_ROOT", str(ROOT))).resolve()


PYTHON = sys.executable
UVICORN_FLAGS = [
    "--host",
    "127.0.0.1",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--ws",
    "websockets-sansio",
    "--ws-per-message-deflate",
    "false",
    "--ws-max-size",
    "16384",
    "--no-access-log",
    "--log-level",
    "warning",
    "--backlog",
    "8192",
]


def breakouts_flags(root: Path) -> list[str]:
    """The peers' flags, with the WebSocket protocol ``breakouts serve`` gives uvicorn (its
    sans-I/O one writing a socket's frames of one tick together) and without uvicorn's keepalive
    pings, as ``breakouts serve`` runs it, when that checkout has it."""
    if not (root / "app" / "realtime" / "ws_protocol.py").exists():
        return UVICORN_FLAGS
    flags = list(UVICORN_FLAGS)
    flags[flags.index("--ws") + 1] = "app.realtime.ws_protocol:BatchingWebSocketProtocol"
    return [*flags, "--ws-ping-interval", "0"]  # the protocol's own heartbeat finds dead peers


@dataclass(frozen=True)
class ServerKind:
    name: str  # as the report prints it
    wire: str  # bench.wire: ours, plain, socketio
    ours: bool
    label: str  # what it is, for the report

    def command(self, port: int, rooms: int) -> list[str]:
        if self.name == "breakouts":
            return [
                PYTHON,
                "-m",
                "uvicorn",
                "--factory",
                # An experiment may wrap the app (e.g. to instrument it) without editing it.
                os.environ.get("BENCH_BREAKOUTS_FACTORY", "app.asgi:create_from_environment"),
                "--port",
                str(port),
                *breakouts_flags(breakouts_root()),
            ]
        if self.name == "breakouts-fanout":
            return [
                PYTHON,
                "-m",
                "uvicorn",
                "--factory",
                "bench.ours_fanout:create_app",
                "--port",
                str(port),
                *breakouts_flags(ROOT),
            ]
        if self.name == "fastapi":
            return [
                PYTHON,
                "-m",
                "uvicorn",
                "--factory",
                "bench.peers.fastapi_manager:create_app",
                "--port",
                str(port),
                *UVICORN_FLAGS,
            ]
        if self.name == "socketio":
            return [
                PYTHON,
                "-m",
                "uvicorn",
                "--factory",
                "bench.peers.socketio_rooms:create_app",
                "--port",
                str(port),
                *UVICORN_FLAGS,
            ]
        if self.name == "websockets":
            return [PYTHON, "-m", "bench.peers.ws_broadcast", "--port", str(port)]
        if self.name == "socketify":
            return [PYTHON, "-m", "bench.peers.socketify_rooms", "--port", str(port), "--rooms", str(rooms)]
        raise ValueError(self.name)


SERVERS = {
    kind.name: kind
    for kind in (
        ServerKind(
            "breakouts", "ours", True, "Breakouts, full answer path (validation, SQLite commit, ack after commit)"
        ),
        ServerKind("breakouts-fanout", "ours", True, "Breakouts, answer path cut out (bench/ours_fanout.py)"),
        ServerKind("websockets", "plain", False, "raw websockets + broadcast() on uvloop: the Python ceiling"),
        ServerKind("fastapi", "plain", False, "FastAPI docs' ConnectionManager loop on uvicorn"),
        ServerKind("socketio", "socketio", False, "python-socketio rooms on uvicorn (ASGI)"),
        ServerKind("socketify", "plain", False, "socketify (uWebSockets) topics: the C ceiling"),
    )
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ours_environment(database_url: str, secret_key: str) -> dict[str, str]:
    return {
        "BREAKOUTS_ENVIRONMENT": "test",
        "BREAKOUTS_DATABASE_URL": database_url,
        "BREAKOUTS_SECRET_KEY": secret_key,
        "BREAKOUTS_ALLOWED_ORIGINS": '["http://127.0.0.1"]',
        "BREAKOUTS_PUBLIC_BASE_URL": "http://127.0.0.1",
        # Every generated person comes from one address (S10 joins thousands by the code at once,
        # and an attempt counts as a wrong code until it proves right), as from many phones.
        "BREAKOUTS_JOIN_ATTEMPTS_PER_ADDRESS": "100000",
        "BREAKOUTS_JOIN_WRONG_CODES_PER_ADDRESS": "100000",
        "BREAKOUTS_JOIN_NEW_ENTRIES_PER_MEETING": "100000",
    }


@dataclass
class RunningServer:
    kind: ServerKind
    port: int
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def running(
    kind: ServerKind,
    core: int | None,
    log_path: Path,
    *,
    rooms: int = 20,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    secret_key: str | None = None,
) -> Iterator[RunningServer]:
    """Start the server pinned to ``core``, wait until it accepts connections, stop it after.
    ``extra_env`` adds to (or replaces) the server's settings, e.g. Redis and a secret shared by
    several processes."""
    port = free_port()
    root = breakouts_root() if kind.name == "breakouts" else ROOT
    environment = {**os.environ, "PYTHONPATH": str(root)}
    if kind.ours:
        assert database_url is not None
        environment.update(ours_environment(database_url, secret_key or secrets.token_urlsafe(32)))
    environment.update(extra_env or {})

    def pin() -> None:
        if core is not None:
            os.sched_setaffinity(0, {core})

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            kind.command(port, rooms), cwd=root, env=environment, stdout=log, stderr=subprocess.STDOUT, preexec_fn=pin
        )
        try:
            _wait_listening(port, process, log_path)
            yield RunningServer(kind, port, process)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_listening(port: int, process: subprocess.Popen[bytes], log_path: Path, wait_s: float = 60) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}): {log_path.read_text()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server not listening after {wait_s} s: {log_path.read_text()[-2000:]}")
