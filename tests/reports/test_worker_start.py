"""The export worker lowers its priority before the report code is imported: the module its
initializer lives in imports nothing heavy, so the second of imports runs at the lower priority."""

from __future__ import annotations

import subprocess
import sys


def test_the_worker_initializer_imports_nothing_heavy() -> None:
    probe = (
        "import sys, app.reports.worker_start as w; "
        "heavy = {'numpy', 'scipy', 'sqlalchemy', 'docx', 'pydantic', 'app.reports.rendering'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
