"""Every answer of a meeting as rows (CSV and JSON), with its room, question, author or pseudonym,
votes and moderation state. Hidden and merged-away answers are included and flagged.

The organiser's export holds every answer; the shared report link's holds only what the shared
report may show (``shown_to``), so there the flags are always false.

The room is always the breakout room the answer was given in. The author follows the report's
rule: a name for named questions, the pseudonym for questions anonymous to peers, and nothing at
all for fully anonymous ones (not even in the organiser's export).
"""

from __future__ import annotations

import csv
import io
import re

from app.plenary.disclosure import Audience, Disclosure, is_shown, shown_author
from app.plenary.material import Material
from app.reports.schemas import AnswerExportRow
from app.vocabulary import QuestionKind

CSV_COLUMNS = [
    "answer_id",
    "room",
    "question_code",
    "question_text",
    "kind",
    "text",
    "choice_ids",
    "choices",
    "scale_value",
    "author",
    "votes",
    "hidden",
    "pinned",
    "merged_into",
    "merged_from",
    "created_at",
]
# A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice): one that
# starts with = + - @ (or their full-width forms), also after leading whitespace, or with a tab. The
# same holds for every line of a cell: imported with another separator, a line break inside a cell
# starts a new row, and its line would be read as a formula.
_FORMULA_CHARACTERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def answer_rows(material: Material, shown_to: Disclosure | None = None) -> list[AnswerExportRow]:
    """Every answer, or with ``shown_to`` only those that disclosure shows."""
    rows = []
    closed = material.closed_rooms()
    for answer in material.answers:
        question = material.question_by_id.get(answer.question_id)
        room = material.room_by_id.get(answer.room_id)
        if question is None or room is None:
            continue
        if shown_to is not None and not is_shown(answer, question, closed.get(question.id, frozenset()), shown_to):
            continue
        author = material.roster.get(answer.author_id) if answer.author_id is not None else None
        labels = {str(option["id"]): str(option.get("label", option["id"])) for option in question.options}
        choice_ids = [str(choice) for choice in answer.choice_ids] if answer.choice_ids is not None else None
        rows.append(
            AnswerExportRow(
                answer_id=answer.id,
                room=room.name,
                question_code=question.code,
                question_text=question.text,
                kind=QuestionKind(question.kind),
                text=answer.text,
                choice_ids=choice_ids,
                choices=[labels.get(choice, choice) for choice in choice_ids] if choice_ids is not None else None,
                scale_value=answer.scale_value,
                author=shown_author(question, author, Audience.REPORT),
                votes=material.votes.get(answer.id, 0),
                hidden=answer.hidden,
                pinned=answer.pinned,
                merged_into=answer.merged_into_id,
                merged_from=material.merge_sources.get(answer.id, []),
                created_at=answer.created_at,
            )
        )
    return rows


def _guarded_line(line: str) -> str:
    starts_formula = line.lstrip(" \t\u00a0\u3000").startswith(_FORMULA_CHARACTERS)
    return "'" + line if starts_formula or line.startswith("\t") else line


def csv_cell(value: str) -> str:
    parts = _LINE_BREAK.split(value)  # the line breaks are kept, at the odd places
    return "".join(part if index % 2 else _guarded_line(part) for index, part in enumerate(parts))


def answers_csv(rows: list[AnswerExportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                str(row.answer_id),
                csv_cell(row.room),
                csv_cell(row.question_code),
                csv_cell(row.question_text),
                row.kind.value,
                csv_cell(row.text or ""),
                " ".join(row.choice_ids or []),
                csv_cell("; ".join(row.choices or [])),
                "" if row.scale_value is None else str(row.scale_value),
                csv_cell(row.author or ""),
                str(row.votes),
                "true" if row.hidden else "false",
                "true" if row.pinned else "false",
                str(row.merged_into or ""),
                " ".join(str(source) for source in row.merged_from),
                row.created_at.isoformat(),
            ]
        )
    return buffer.getvalue()
