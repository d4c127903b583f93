"""The benchmark at tiny sizes: every scenario runs on Breakouts and on the Python ceiling, and
Breakouts loses nothing and duplicates nothing. Timings are printed by ``make bench``, never
asserted here (the machine is shared)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.smoke import smoke_records

SCENARIOS = {"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10"}
# The peers store nothing: no answers to vote on or report, no roster to join.
OURS_ONLY = {"S2", "S7", "S8", "S9", "S10"}


def test_every_scenario_runs_without_loss_or_duplicates(tmp_path: Path) -> None:
    report = tmp_path / "smoke.md"
    records = smoke_records("bench.run", report, "--servers", "breakouts,websockets")

    ours = [record for record in records if record["server"].startswith("breakouts")]
    assert {record["name"] for record in ours} == SCENARIOS
    for record in ours:
        assert record.get("lost", 0) == 0, record
        assert record.get("duplicates", 0) == 0, record
        assert record.get("seq_gaps", 0) == 0, record
        assert not record.get("errors"), record
        if "acked" in record:
            assert record["acked"] == record["sent"], record
    storm = next(record for record in ours if record["name"] == "S5")
    assert storm["back"] == storm["dropped"] > 0
    idle = next(record for record in ours if record["name"] == "S4")
    assert idle["connected"] > 0
    report_back = next(record for record in ours if record["name"] == "S7")
    assert report_back["ok"] == report_back["phones"] > 0
    votes = next(record for record in ours if record["name"] == "S8")
    assert votes["acked"] == votes["votes"] > 0
    assert votes["sockets_lost"] == 0
    export = next(record for record in ours if record["name"] == "S9")
    assert export["exports"] >= 1 and export["export_errors"] == 0
    joins = next(record for record in ours if record["name"] == "S10")
    assert joins["joined"] == joins["people"] > 0 and not joins["failures"]

    ceiling = [record for record in records if record["server"] == "websockets"]
    assert {record["name"] for record in ceiling} == SCENARIOS - OURS_ONLY
    for record in ceiling:
        assert record.get("duplicates", 0) == 0, record
        if record["name"] != "S5":  # a peer cannot replay what a dropped client missed
            assert record.get("lost", 0) == 0, record
    assert "| server |" in report.read_text()
