"""The Markdown report: medians over the runs with min-max, and ratios of Breakouts to each peer
and to the Python ceiling, every number from the same run of ``make bench``."""

from __future__ import annotations

import platform
import statistics
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from bench.texts import POLIS_ATTRIBUTION

OURS = ("breakouts", "breakouts-fanout")
CEILING = "websockets"
PEER_ORDER = ("websockets", "fastapi", "socketio", "socketify")
Metric = Callable[[dict[str, Any]], float | None]


def _get(*path: str) -> Metric:
    def read(record: dict[str, Any]) -> float | None:
        value: Any = record
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return float(value) if isinstance(value, int | float) else None

    return read


def _spread(values: list[float]) -> str:
    if not values:
        return "—"
    median = statistics.median(values)
    text = _number(median)
    if len(values) > 1:
        text += f" ({_number(min(values))}-{_number(max(values))})"
    return text


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1000:
        return str(int(value))
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}"


def _median(records: list[dict[str, Any]], metric: Metric) -> float | None:
    values = [v for v in (metric(r) for r in records) if v is not None]
    return statistics.median(values) if values else None


def _capacity(records: list[dict[str, Any]], key: str = "delivered_fps") -> list[float]:
    """Per run: the most a ramp step held (delivery and ack p99 ≤ 50 ms, nothing lost, all acked);
    0 for a run where even the first step failed."""
    by_run: dict[int, list[float]] = defaultdict(lambda: [0.0])
    for record in records:
        by_run[record["run"]].append(record[key] if record.get("held") else 0.0)
    return [max(values) for values in by_run.values()]


COLUMNS: dict[str, list[tuple[str, Metric]]] = {
    "load": [
        ("frames/s delivered", _get("delivered_fps")),
        ("p50 ms", _get("latency_ms", "p50")),
        ("p99 ms", _get("latency_ms", "p99")),
        ("p99.9 ms", _get("latency_ms", "p999")),
        ("max ms", _get("latency_ms", "max")),
        ("ack p99 ms", _get("ack_ms", "p99")),
        ("server CPU", _get("server_cpu")),
        ("frames per CPU-s", _get("fps_per_cpu")),
        ("lost", _get("lost")),
        ("dup", _get("duplicates")),
    ],
    "S2": [
        ("answers/s offered", _get("rate")),
        ("acked answers/s", _get("acked_per_s")),
        ("ack p50 ms", _get("ack_ms", "p50")),
        ("ack p99 ms", _get("ack_ms", "p99")),
        ("delivery p99 ms", _get("latency_ms", "p99")),
        ("frames/s delivered", _get("delivered_fps")),
        ("server CPU", _get("server_cpu")),
        ("lost", _get("lost")),
        ("dup", _get("duplicates")),
    ],
    "S4": [
        ("sockets", _get("connected")),
        ("KB per socket", _get("rss_per_connection_kb")),
        ("RSS before MB", _get("rss_before_mb")),
        ("RSS after MB", _get("rss_after_mb")),
        ("connect s", _get("connect_s")),
    ],
    "S5": [
        ("dropped", _get("dropped")),
        ("back", _get("back")),
        ("all back s", _get("all_back_s")),
        ("back p50 ms", _get("back_ms", "p50")),
        ("back p99 ms", _get("back_ms", "p99")),
        ("lost", _get("lost")),
        ("dup", _get("duplicates")),
    ],
    "S6": [
        ("answers/s", _get("rate")),
        ("others' p99 ms before", _get("baseline", "latency_ms", "p99")),
        ("others' p99 ms stalled", _get("latency_ms", "p99")),
        ("p99 rise", _get("p99_rise")),
        ("lost", _get("lost")),
        ("dup", _get("duplicates")),
    ],
    "S7": [
        ("phones", _get("phones")),
        ("within s", _get("window_s")),
        ("answered 200", _get("ok")),
        ("errors", lambda r: float(sum(r.get("errors", {}).values()))),
        ("p50 ms", _get("fetch_ms", "p50")),
        ("p99 ms", _get("fetch_ms", "p99")),
        ("max ms", _get("fetch_ms", "max")),
        ("view KB", _get("view_kb")),
        ("server CPU", _get("server_cpu")),
    ],
    "S8": [
        ("votes", _get("votes")),
        ("within s", _get("window_s")),
        ("offered votes/s", _get("offered_per_s")),
        ("acked", _get("acked")),
        ("acked votes/s", _get("acked_per_s")),
        ("ack p50 ms", _get("ack_ms", "p50")),
        ("ack p99 ms", _get("ack_ms", "p99")),
        ("refused", lambda r: float(sum(r.get("errors", {}).values()))),
        ("sockets lost", _get("sockets_lost")),
        ("server CPU", _get("server_cpu")),
    ],
    "S9": [
        ("answers/s", _get("rate")),
        ("others' p99 ms before", _get("baseline", "latency_ms", "p99")),
        ("others' p99 ms during", _get("latency_ms", "p99")),
        ("p99 rise", _get("p99_rise")),
        ("ack p99 ms during", _get("ack_ms", "p99")),
        ("DOCX exports", _get("exports")),
        ("longest export s", _get("export_s")),
        ("lost", _get("lost")),
        ("dup", _get("duplicates")),
    ],
    "S10": [
        ("people", _get("people")),
        ("in", _get("joined")),
        ("all in s", _get("all_in_s")),
        ("in p50 ms", _get("in_ms", "p50")),
        ("in p99 ms", _get("in_ms", "p99")),
        ("refused or failed", lambda r: float(sum(r.get("failures", {}).values()))),
        ("server CPU", _get("server_cpu")),
    ],
}
RATIO_METRICS: dict[str, list[tuple[str, Metric, bool]]] = {
    # (name, metric, higher is better)
    "S1": [("frames per CPU-s", _get("fps_per_cpu"), True), ("p99", _get("latency_ms", "p99"), False)],
    "S3": [("frames per CPU-s", _get("fps_per_cpu"), True), ("p99", _get("latency_ms", "p99"), False)],
    "S4": [("KB per socket", _get("rss_per_connection_kb"), False)],
    "S5": [("all back s", _get("all_back_s"), False)],
    "S6": [("p99 rise", _get("p99_rise"), False)],
}
TITLES = {
    "S1": "S1 — fan-out only: rooms of people, an organiser watching every room",
    "S2": "S2 — the full answer path: validation, persistence, ack after commit",
    "S3": "S3 — one room of thousands",
    "S4": "S4 — idle sockets: memory per socket",
    "S5": "S5 — reconnect storm: everyone drops at once and resumes",
    "S6": "S6 — one socket stops reading while the rest go on (half of S2's load)",
    "S7": "S7 — report-back: every phone fetches the plenary view within a second",
    "S8": "S8 — vote wave: every participant of S2's rooms upvotes their room's answers within two seconds",
    "S9": "S9 — a DOCX report of 10,000 answers exported while S2's rooms run at half their held rate",
    "S10": "S10 — join storm: thousands join by the meeting code and open their sockets at once",
}


def render(records: list[dict[str, Any]], *, runs: int, smoke: bool, seconds: float) -> str:
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        grouped[record["name"]][record["server"]].append(record)
    out = [
        f"# Live fan-out benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC" + (" (smoke sizes)" if smoke else ""),
        "",
        _environment(runs, seconds),
        "",
    ]
    for name in sorted(grouped):
        servers = grouped[name]
        out += [f"## {TITLES.get(name, name)}", ""]
        first = next(iter(servers.values()))[0]
        rows = servers
        if name in ("S1", "S2"):  # a row per ramp step
            rows = {}
            for server in _ordered(servers):
                for rate in sorted({r["rate"] for r in servers[server]}):
                    rows[f"{server} @ {rate:g}/s"] = [r for r in servers[server] if r["rate"] == rate]
        kind = name if name in COLUMNS else ("load" if "latency_ms" in first else name)
        columns = COLUMNS.get(kind, COLUMNS["load"])
        load = "latency_ms" in first
        out.append("| server | " + " | ".join(title for title, _ in columns) + (" | held |" if load else " |"))
        out.append("|---" * (len(columns) + 1 + load) + "|")
        for row in _ordered(rows) if name not in ("S1", "S2") else list(rows):
            cells = [_spread([v for v in (metric(r) for r in rows[row]) if v is not None]) for _, metric in columns]
            if load:
                cells.append(f"{sum(1 for r in rows[row] if r.get('held'))}/{len(rows[row])}")
            out.append(f"| {row} | " + " | ".join(cells) + " |")
        if name in ("S1", "S2"):
            key, unit = ("delivered_fps", "frames/s") if name == "S1" else ("acked_per_s", "acked answers/s")
            out += [
                "",
                f"Ramp (rate stepped up until a step fails: delivery or ack p99 > 50 ms, a loss, an answer not acknowledged): the most {unit} held, per run:",
                "",
            ]
            for server in _ordered(servers):
                out.append(f"- {server}: {_spread(_capacity(servers[server], key))}")
            base = min(r["rate"] for group in servers.values() for r in group)
            rows = {server: [r for r in group if r["rate"] == base] for server, group in servers.items()}
        out += ["", *_ratios(name, rows, servers), ""]
    out += ["", POLIS_ATTRIBUTION, ""]
    return "\n".join(out)


def _ordered(servers: dict[str, list[dict[str, Any]]]) -> list[str]:
    order = [*OURS, *PEER_ORDER]
    return sorted(servers, key=lambda s: order.index(s) if s in order else len(order))


def _ratios(name: str, rows: dict[str, list[dict[str, Any]]], all_rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    ours = next((server for server in OURS if server in rows), None)
    metrics = RATIO_METRICS.get(name, [])
    peers = [server for server in _ordered(rows) if server not in OURS]
    if ours is None or not metrics or not peers:
        return []
    lines = [f"Ratios, {ours} ÷ peer (medians of this run; > 1 means more for {ours}):", ""]
    lines.append(
        "| metric | " + " | ".join(f"÷ {peer}" + (" (ceiling)" if peer == CEILING else "") for peer in peers) + " |"
    )
    lines.append("|---" * (len(peers) + 1) + "|")
    for title, metric, _higher_better in metrics:
        ours_value = _median(rows[ours], metric)
        cells = []
        for peer in peers:
            peer_value = _median(rows[peer], metric)
            cells.append("—" if not ours_value or not peer_value else f"{ours_value / peer_value:.2f}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    if name == "S1":
        capacity = {server: _capacity(all_rows[server]) for server in all_rows}
        ours_capacity = statistics.median(capacity[ours]) if capacity.get(ours) else None
        cells = []
        for peer in peers:
            peer_capacity = statistics.median(capacity[peer]) if capacity.get(peer) else None
            cells.append("—" if not ours_capacity or not peer_capacity else f"{ours_capacity / peer_capacity:.2f}")
        lines.append("| frames/s held (ramp) | " + " | ".join(cells) + " |")
    return lines


def _environment(runs: int, seconds: float) -> str:
    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "absent"

    packages = ", ".join(
        f"{name} {version(name)}"
        for name in (
            "uvicorn",
            "websockets",
            "uvloop",
            "starlette",
            "fastapi",
            "python-socketio",
            "socketify",
            "picows",
            "sqlalchemy",
            "aiosqlite",
        )
    )
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"Medians of {runs} run(s), min-max in brackets; {seconds / 60:.1f} minutes in all. Server pinned to core 0, "
        f"load generator (picows on uvloop) to core 1; the machine is shared, so only ratios taken in this run "
        f"compare. Python {platform.python_version()} on {platform.system()} {platform.release()}, "
        f"{cpu}, {__import__('os').cpu_count()} cores. {packages}. Latencies run from each answer's intended send "
        f"time (open loop) to its arrival at each recipient; 'frames per CPU-s' is delivered frames per second of "
        f"server CPU, the efficiency that holds when other work takes the server's core from it."
    )
