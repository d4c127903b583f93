"""Answer texts of about 200 bytes, from real consultation statements.

The statements are Polis open data: gathered using the Polis software (compdemocracy.org/polis)
and sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project
(source: the public repository compdemocracy/openData; licence:
https://creativecommons.org/licenses/by/4.0/). See shared/data/polis/README.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

POLIS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"
POLIS_ATTRIBUTION = (
    "Answer texts: Polis open data, gathered using the Polis software (compdemocracy.org/polis) and "
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project "
    "(https://creativecommons.org/licenses/by/4.0/)."
)
ANSWER_BYTES = 200
# The marker that opens every benchmark answer, "~<room>.<n>~", names the message without JSON
# parsing on the receiving side; statements are stripped of it.
MARK = "~"
FALLBACK = (
    "Regular legal pathways reduce the demand for smugglers, and joint investigation teams with the "
    "neighbouring countries follow the money from the first day of a case."
)


def answer_texts(limit: int = 2000) -> list[str]:
    """Statements cut or repeated to about ``ANSWER_BYTES`` bytes (ASCII-safe: JSON escapes none)."""
    statements: list[str] = []
    for path in sorted(POLIS_DIR.glob("*/comments.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                body = " ".join(row["comment-body"].split())
                body = "".join(c for c in body if 32 <= ord(c) < 127 and c not in '~"\\')
                if len(body) >= 40:
                    statements.append(body)
    if not statements:
        statements = [FALLBACK]
    texts = []
    for i in range(limit):
        text = statements[i % len(statements)]
        while len(text) < ANSWER_BYTES - 16:
            text = f"{text} {statements[(i + len(text)) % len(statements)]}"
        texts.append(text[: ANSWER_BYTES - 16])
    return texts


def marked(room: int, n: int, text: str) -> str:
    return f"{MARK}{room}.{n}{MARK} {text}"
