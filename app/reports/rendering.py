"""Exports are built off the event loop, so that a large report never stalls the sockets.

Two steps, each where it costs the loop least:

1. **Gather** (on the loop): the access check and the material, read from the database through
   the async driver. The session is then closed: the connection goes back to the pool before
   the long part.
2. **Build** (a worker process): the report document (the plenary merge, the figures, the
   notes, checked against the material: ``provenance``) or the answer rows, and their file: DOCX,
   PDF (the DOCX converted by LibreOffice, ``pdf``), Markdown, CSV or JSON. The material crosses
   to the worker pickled (the ORM objects just read, detached, with what was loaded). A process
   has its own interpreter, so the seconds a large report takes (python-docx builds an XML tree
   per paragraph) never hold the loop's; a thread would still take the interpreter from the
   loop for its slices, which stalled every socket of the process. The worker runs at a lower
   CPU priority (``WORKER_NICENESS``), so that on a busy machine the sockets come first.

The pool starts with the first export (``spawn``: a clean interpreter, none of the server's
threads or sockets) and stops with the application.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import TypeAdapter

import app.tables  # noqa: F401 - every mapper, for the material unpickled in the worker
from app.meetings.models import AgendaItem
from app.plenary.disclosure import Disclosure
from app.plenary.material import Material
from app.reports.answers_export import answer_rows, answers_csv
from app.reports.assemble import assemble_report
from app.reports.docx_writer import render_docx
from app.reports.markdown import render_markdown
from app.reports.pdf import PdfConversionFailed, PdfFailed, docx_to_pdf
from app.reports.schemas import AnswerExportRow
from app.reports.wording import ReportLanguage

ReportKind = Literal["docx", "pdf", "markdown", "json"]
RowsKind = Literal["csv", "json"]
EXPORT_WORKERS = 1  # the machine's other cores serve requests; exports queue (app.admission.EXPORTS)
WORKER_NICENESS = 10

_ROWS = TypeAdapter(list[AnswerExportRow])


@dataclass(frozen=True, slots=True)
class ReportRequest:
    material: Material
    disclosure: Disclosure
    agenda: list[AgendaItem]
    held_at: datetime | None
    now: datetime
    # The organiser's account name: the report's organisation when no organiser on the roster names one.
    organiser_name: str = ""
    # The language of the report's own words a reader asked for; the meeting's when None.
    language: ReportLanguage | None = None


def build_report(kind: ReportKind, request: ReportRequest) -> bytes:
    """The report's file (DOCX, PDF, Markdown, or the JSON of its document). Runs in the worker."""
    report = assemble_report(
        request.material,
        request.disclosure,
        request.agenda,
        request.held_at,
        request.now,
        request.organiser_name,
        language=request.language,
    )
    if kind == "docx":
        return render_docx(report)
    if kind == "pdf":
        return docx_to_pdf(render_docx(report))
    if kind == "markdown":
        return render_markdown(report).encode()
    return report.model_dump_json().encode()


def build_answer_rows(kind: RowsKind, material: Material, shown_to: Disclosure | None) -> bytes:
    """Every answer the export may show, as CSV or JSON. Runs in the worker."""
    rows = answer_rows(material, shown_to=shown_to)
    if kind == "json":
        return _ROWS.dump_json(rows)
    # A byte-order mark lets spreadsheet programs read the UTF-8 (Bengali text) correctly.
    return answers_csv(rows).encode("utf-8-sig")


def _worker_started() -> None:
    os.nice(WORKER_NICENESS)


class ReportRenderer:
    def __init__(self, workers: int = EXPORT_WORKERS) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_started)
        return self._pool

    async def report(self, kind: ReportKind, request: ReportRequest) -> bytes:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._workers(), build_report, kind, request)
        except PdfConversionFailed as failed:
            raise PdfFailed(f"the PDF could not be made now: {failed}; the DOCX export works") from failed

    async def answer_rows(self, kind: RowsKind, material: Material, shown_to: Disclosure | None) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers(), build_answer_rows, kind, material, shown_to)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
