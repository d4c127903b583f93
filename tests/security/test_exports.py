"""Findings: the Markdown report passed control characters through (NUL, BEL, terminal escape
sequences), and the answers CSV guarded a formula only at the very start of a cell: a line break
inside an answer (``…\\n=HYPERLINK(…)``), leading whitespace or a full-width equals sign made a live formula
when the file was opened with another separator. Control characters are dropped from the Markdown,
and every line of a CSV cell that a spreadsheet would run is guarded with an apostrophe."""

from __future__ import annotations

from tests.reports.conftest import consultation
from tests.reports.consultation import Consultation
from tests.reports.reading import csv_rows

__all__ = ["consultation"]

FORMULAS = {
    'Fair trials\n=HYPERLINK("http://example.org")': 'Fair trials\n\'=HYPERLINK("http://example.org")',
    "Shelters\r\n  +SUM(A1:A9)": "Shelters\r\n'  +SUM(A1:A9)",
    '  =HYPERLINK("http://example.org")': '\'  =HYPERLINK("http://example.org")',
    "\uff1dHYPERLINK(1)": "'\uff1dHYPERLINK(1)",
    "\u3000@SUM(1)": "'\u3000@SUM(1)",
    "Costs - and benefits": "Costs - and benefits",
}


async def test_every_line_of_a_csv_cell_that_would_run_is_guarded(consultation: Consultation) -> None:
    c = consultation
    for text in FORMULAS:
        await c.add_answer("S1", 1, "amina", text)
    rows = csv_rows((await c.organiser.get(c.url("/answers.csv"))).content)
    exported = {row["text"] for row in rows}
    for typed, guarded in FORMULAS.items():
        assert guarded in exported, (typed, guarded)


async def test_the_markdown_report_carries_no_control_characters(consultation: Consultation) -> None:
    c = consultation
    title = "Policy\x07 session \x1b[31mred\x1b[0m\x7f"
    renamed = await c.organiser.patch(f"/api/meetings/{c.meeting_id}", json={"title": title})
    assert renamed.status_code == 200, renamed.text
    markdown = (await c.organiser.get(c.url("/report.md"))).text
    assert "Policy session \\[31mred\\[0m" in markdown
    assert not any(ord(character) < 32 and character not in "\n" for character in markdown), repr(markdown[:200])
    assert "\x7f" not in markdown
