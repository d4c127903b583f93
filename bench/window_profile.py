"""py-spy over the measured windows only: the generator appends each load window it opens (its
start and end on the monotonic clock, which ``time.perf_counter`` reads too) to a file named in
its spec (``window_file``); a thread here waits for each window and samples every server process
for exactly that long. Start-up, socket admission and the drain stay out of the profile.

One ``.prof`` (py-spy's raw format: a stack and its sample count per line) per process and window.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

POLL_S = 0.02


@contextlib.contextmanager
def profiling_windows(
    pids: list[int], directory: Path | None, name: str, spec: dict[str, object], core: int
) -> Iterator[None]:
    """While the block runs, sample ``pids`` over each window the generator reports. Adds
    ``window_file`` to ``spec`` (write the spec inside the block)."""
    if directory is None:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / f"{name}.windows"
    marker.unlink(missing_ok=True)
    spec["window_file"] = str(marker)
    done = threading.Event()
    thread = threading.Thread(target=_follow, args=(marker, pids, directory, name, core, done), daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(60)


def _follow(marker: Path, pids: list[int], directory: Path, name: str, core: int, done: threading.Event) -> None:
    seen = 0
    while not done.is_set():
        lines = marker.read_text().splitlines() if marker.exists() else []
        for line in lines[seen:]:
            window = json.loads(line)
            _sample(window, pids, directory, f"{name}-{window['name']}-{window['rate']:g}", core)
        seen = len(lines)
        time.sleep(POLL_S)


def _sample(window: dict[str, float], pids: list[int], directory: Path, name: str, core: int) -> None:
    wait = window["start"] - time.perf_counter()
    if wait > 0:
        time.sleep(wait)
    duration = max(1, math.floor(window["end"] - time.perf_counter()))
    spies = [
        start_py_spy(pid, directory / f"{name}-{index}.prof", core, duration_s=duration)
        for index, pid in enumerate(pids)
    ]
    for spy in spies:
        spy.wait(duration + 30)


def start_py_spy(pid: int, output: Path, core: int, duration_s: int | None = None) -> subprocess.Popen[bytes]:
    """py-spy sampling ``pid`` at 200 Hz into ``output`` (raw format), itself on ``core`` (not the
    servers' core), for ``duration_s`` or until it is sent SIGINT."""
    command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--rate", "200"]
    command += ["--nonblocking", "--format", "raw", "--output", str(output)]
    if duration_s is not None:
        command += ["--duration", str(duration_s)]
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.sched_setaffinity(0, {core}),
    )


def mark_window(spec: dict[str, object], name: str, rate: float, start: float, end: float) -> None:
    """The generator's side: report a measured window (perf_counter times) to the profiler."""
    path = spec.get("window_file")
    if isinstance(path, str):
        with open(path, "a") as out:
            out.write(json.dumps({"name": name, "rate": rate, "start": start, "end": end}) + "\n")
