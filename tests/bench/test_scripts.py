"""The merge and export benchmarks run from a plain clone: the Polis statements they read ship in
bench/data/polis, so no folder beside the repository is needed. Run at tiny sizes on a copy of
the repository that has nothing beside it; timings are printed, never asserted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plain_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = tmp_path_factory.mktemp("alone") / "breakouts"
    clone.mkdir()
    for folder in ("app", "bench", "migrations"):
        shutil.copytree(ROOT / folder, clone / folder, ignore=shutil.ignore_patterns("__pycache__", "results"))
    shutil.copy(ROOT / "alembic.ini", clone / "alembic.ini")
    assert not (clone.parent / "shared").exists()
    return clone


def run(clone: Path, *arguments: str) -> str:
    completed = subprocess.run(
        [sys.executable, *arguments], cwd=clone, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed.stdout


def test_the_grouping_benchmark_runs_on_the_shipped_statements(plain_clone: Path) -> None:
    out = run(plain_clone, "bench/grouping.py", "--items", "400", "--rooms", "20", "--runs", "1")
    assert "400 items in 20 rooms from 1" in out
    assert "group_items: median" in out
    assert "group_items, 5 new answers each time: median" in out


def test_the_plenary_benchmark_runs_on_the_shipped_statements(plain_clone: Path) -> None:
    out = run(plain_clone, "bench/plenary.py", "--answers", "400", "--rooms", "20", "--runs", "1")
    assert "CC BY 4.0" in out
    assert "plenary merge (in memory, end to end, cold): median" in out
    assert "plenary merge (in memory, end to end, incremental, 5 new answers): median" in out
    assert "plenary merge (in memory, end to end, warm): median" in out
    assert "GET /plenary on SQLite" in out


def test_the_merge_quality_scorer_runs_on_the_shipped_evaluation_set(plain_clone: Path) -> None:
    out = run(plain_clone, "-m", "bench.merge_quality")
    assert "233 answers to 4 questions (bn 15, de 44, en 174)" in out
    assert "points: precision" in out
    assert "themes: precision" in out
    assert "names: 58 (points of 2+ answers, themes of 2+ points); boilerplate only 0" in out


def test_the_exports_benchmark_runs_on_the_shipped_statements(plain_clone: Path, tmp_path: Path) -> None:
    out = run(
        plain_clone, "-m", "bench.exports", "--sizes", "60", "--formats", "markdown,docx", "--profile", str(tmp_path)
    )
    row = next(line for line in out.splitlines() if line.startswith("| 60 |"))
    assert len(row.split("|")) == 5  # the size and a CPU time per format
    assert "CC BY 4.0" in out
    assert {path.name for path in tmp_path.iterdir()} == {"markdown-60.prof", "docx-60.prof"}


def test_two_runs_of_the_plenary_benchmark_build_the_same_views(plain_clone: Path) -> None:
    """The material is stamped with a fixed moment, not the clock: two processes build views that
    compare byte for byte, so old and new code can be compared by their digests."""
    arguments = ("bench/plenary.py", "--answers", "300", "--rooms", "10", "--runs", "1", "--no-http", "--digest")
    first, second = (
        [line for line in run(plain_clone, *arguments).splitlines() if "view digest" in line] for _ in range(2)
    )
    assert len(first) == 3
    assert first == second
    digest = {line.split(" run ")[0].strip(): line.rsplit(" ", 1)[1] for line in first}
    # The warm view is the cold one; the answers that arrived make another.
    assert digest["merge cold"] == digest["merge warm"]
    assert digest["merge incremental, 5 new answers"] != digest["merge cold"]


def test_the_label_check_runs_on_a_shipped_polis_conversation(plain_clone: Path) -> None:
    out = run(plain_clone, "-m", "bench.label_quality", "--polis", "brexit-consensus", "--list")
    assert "names: mean coverage" in out
    assert "Middle class" in out
