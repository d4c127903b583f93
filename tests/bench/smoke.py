"""A benchmark run at its smoke sizes, as ``make test`` runs it: a subprocess of this checkout
that writes its report and records to the test's own folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SMOKE_TIMEOUT_S = 480  # the slowest smoke run (S11, four server set-ups) on a loaded two-core machine


def smoke_records(module: str, report: Path, *arguments: str) -> list[dict[str, Any]]:
    """The records of ``python -m <module> --smoke <arguments> --out <report>`` (its .json beside
    the report); fails with the end of the run's output when it fails."""
    completed = subprocess.run(
        [sys.executable, "-m", module, "--smoke", *arguments, "--out", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    records: list[dict[str, Any]] = json.loads(report.with_suffix(".json").read_text())
    return records
