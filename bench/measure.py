"""What the benchmark reads off a process (CPU time, resident memory) and how it summarises
latencies."""

from __future__ import annotations

import os
import time
from abc import ABC, abstractmethod
from array import array
from collections.abc import Sequence

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


class CpuWindow(ABC):
    """How busy what ``cpu_s`` measures has been since ``start``."""

    _mark: tuple[float, float] | None = None

    @abstractmethod
    def cpu_s(self) -> float: ...

    def start(self) -> None:
        self._mark = (time.perf_counter(), self.cpu_s())

    def busy(self) -> float:
        """Cores used since ``start`` (1.0: one core fully busy)."""
        assert self._mark is not None
        wall, cpu = self._mark
        elapsed = time.perf_counter() - wall
        return (self.cpu_s() - cpu) / elapsed if elapsed > 0 else 0.0


class ProcessSampler(CpuWindow):
    """CPU seconds and RSS of one process (all its threads) from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def cpu_s(self) -> float:
        try:
            with open(f"/proc/{self.pid}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            return 0.0
        # After the command name: state is field 3, utime 14 and stime 15 (1-based, man proc).
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS_PER_S

    def rss_bytes(self) -> int:
        try:
            with open(f"/proc/{self.pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0


class ProcessesSampler(CpuWindow):
    """The CPU seconds and RSS of several processes together (a server run as several processes)."""

    def __init__(self, pids: list[int]) -> None:
        self.samplers = [ProcessSampler(pid) for pid in pids]

    def cpu_s(self) -> float:
        return sum(sampler.cpu_s() for sampler in self.samplers)

    def rss_bytes(self) -> int:
        return sum(sampler.rss_bytes() for sampler in self.samplers)


def percentiles_ms(values: Sequence[float] | array[float]) -> dict[str, float | None]:
    """p50, p99, p99.9 and max of latencies given in seconds, in milliseconds."""
    if not values:
        return {"p50": None, "p99": None, "p999": None, "max": None}
    ordered = sorted(values)
    last = len(ordered) - 1

    def at(q: float) -> float:
        return round(ordered[min(last, int(q * len(ordered)))] * 1000, 2)

    return {"p50": at(0.50), "p99": at(0.99), "p999": at(0.999), "max": round(ordered[last] * 1000, 2)}
