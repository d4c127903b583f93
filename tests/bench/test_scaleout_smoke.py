"""S11 at tiny sizes: S1 and S2 run on one process on SQLite and on two processes on PostgreSQL and
Redis (connections spread over both), with nothing lost, duplicated or out of order, and the
deliveries that crossed processes timed apart. Timings are the benchmark's, never asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.smoke import smoke_records

pytestmark = pytest.mark.postgres


def test_s11_runs_on_one_and_on_two_processes_without_loss(tmp_path: Path) -> None:
    report = tmp_path / "s11.md"
    records = smoke_records("bench.scaleout", report)
    assert {(record["scenario"], record["processes"]) for record in records} == {
        ("S11/S1", 1),
        ("S11/S1", 2),
        ("S11/S2", 1),
        ("S11/S2", 2),
    }
    for record in records:
        assert record["lost"] == 0 and record["duplicates"] == 0 and record["seq_gaps"] == 0, record
        assert record["acked"] == record["sent"] > 0, record
        assert not record["errors"], record
        if record["processes"] > 1:
            assert record["cross_latency_ms"]["p99"] is not None, record
    assert "Efficiency, two processes ÷ one" in report.read_text()
