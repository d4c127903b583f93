"""Answer texts of about 200 bytes, from real consultation statements.

The statements are Polis open data: gathered using the Polis software (compdemocracy.org/polis)
and sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project
(source: the public repository compdemocracy/openData; licence:
https://creativecommons.org/licenses/by/4.0/). A copy of the statements ships in bench/data/polis
(see its README.md), so the benchmarks run from a plain clone.
"""

from __future__ import annotations

import csv
from pathlib import Path

POLIS_DIR = Path(__file__).resolve().parent / "data" / "polis"
POLIS_ATTRIBUTION = (
    "Answer texts: Polis open data, gathered using the Polis software (compdemocracy.org/polis) and "
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project "
    "(https://creativecommons.org/licenses/by/4.0/)."
)
ANSWER_BYTES = 200
# The marker that opens every benchmark answer, "~<room>.<n>~", names the message without JSON
# parsing on the receiving side; statements are stripped of it.
MARK = "~"


def load_statements(data_dir: Path = POLIS_DIR) -> list[str]:
    """Every statement of every conversation under ``data_dir``, in file and row order."""
    statements: list[str] = []
    for path in sorted(data_dir.glob("*/comments.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            statements.extend(row["comment-body"] for row in csv.DictReader(handle) if row["comment-body"].strip())
    if not statements:
        raise SystemExit(f"no statements under {data_dir} (expected */comments.csv files of Polis open data)")
    return statements


def answer_texts(limit: int = 2000) -> list[str]:
    """Statements cut or repeated to about ``ANSWER_BYTES`` bytes (ASCII-safe: JSON escapes none)."""
    statements: list[str] = []
    for statement in load_statements():
        body = " ".join(statement.split())
        body = "".join(c for c in body if 32 <= ord(c) < 127 and c not in '~"\\')
        if len(body) >= 40:
            statements.append(body)
    texts = []
    for i in range(limit):
        text = statements[i % len(statements)]
        while len(text) < ANSWER_BYTES - 16:
            text = f"{text} {statements[(i + len(text)) % len(statements)]}"
        texts.append(text[: ANSWER_BYTES - 16])
    return texts


def marked(room: int, n: int, text: str) -> str:
    return f"{MARK}{room}.{n}{MARK} {text}"
