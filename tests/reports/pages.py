"""A PDF report read back as the reader sees it: its first page as a PNG in test-artifacts/.

`make backend-test` installs poppler (`make system-poppler`), so a missing ``pdftoppm`` fails the
test instead of leaving the artifact out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path("test-artifacts")


def first_page_png(pdf: bytes, name: str) -> Path:
    """Writes test-artifacts/<name>.pdf and its first page as test-artifacts/<name>.png."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("poppler's pdftoppm is missing: make system-poppler")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    target = ARTIFACTS / name
    command = [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source), str(target)]
    subprocess.run(command, check=True, timeout=60)
    return target.with_suffix(".png")
