"""Exports are built off the event loop, so that a large report never stalls the sockets.

Two steps, each where it costs the loop least:

1. **Check** (on the loop): the caller's access, a few small reads.
2. **Gather and build** (a worker process): the material, read by the worker in a read session
   of its own (a database file or server the worker reaches as the server does), then the report
   document (the plenary merge, the figures, the notes, checked against the material:
   ``provenance``) or the answer rows, and their file: DOCX, PDF (the DOCX converted by
   LibreOffice, ``pdf``), Markdown, CSV or JSON. Only the meeting's id goes to the worker and only
   the file's bytes come back: reading tens of thousands of rows into ORM objects, and pickling
   them, cost the loop seconds of a large export when the loop gathered the material itself (an
   in-memory database, which no other process can open, is still gathered on the loop and the
   material sent to the worker pickled). A process has its own interpreter, so the seconds a large report takes (python-docx builds an XML tree
   per paragraph) never hold the loop's; a thread would still take the interpreter from the
   loop for its slices, which stalled every socket of the process. The worker runs at a lower
   CPU priority (``WORKER_NICENESS``), so that on a busy machine the sockets come first.

The pool starts with the first export (``spawn``: a clean interpreter, none of the server's
threads or sockets) and stops with the application.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeVar

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

import app.tables  # noqa: F401 - every mapper, for the material unpickled in the worker
from app.database import create_database, is_memory
from app.errors import NotFound
from app.meetings.models import AgendaItem, Meeting
from app.plenary.disclosure import Disclosure
from app.plenary.material import Material, load_material
from app.reports import repository
from app.reports.answers_export import answer_rows, answers_csv
from app.reports.assemble import assemble_report
from app.reports.docx_writer import render_docx
from app.reports.markdown import render_markdown
from app.reports.pdf import PdfConversionFailed, PdfFailed, docx_to_pdf, pdf_contents_paged
from app.reports.schemas import AnswerExportRow
from app.reports.wording import ReportLanguage
from app.reports.worker_start import lower_priority

ReportKind = Literal["docx", "pdf", "markdown", "json"]
RowsKind = Literal["csv", "json"]
EXPORT_WORKERS = 1  # the machine's other cores serve requests; exports queue (app.admission.EXPORTS)

_ROWS = TypeAdapter(list[AnswerExportRow])
T = TypeVar("T")


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


@dataclass(frozen=True, slots=True)
class MaterialSource:
    """Where the worker reads a meeting's material: the server's database, the meeting's id."""

    database_url: str
    meeting_id: uuid.UUID


async def gather_report(
    session: AsyncSession, meeting: Meeting, disclosure: Disclosure, now: datetime, language: ReportLanguage | None
) -> ReportRequest:
    """Everything a report is made from, read in ``session``."""
    material = await load_material(session, meeting)
    agenda = await repository.agenda_of(session, meeting.id)
    held_at = await repository.held_at(session, meeting.id)
    organiser = await repository.organiser_name(session, meeting)
    return ReportRequest(material, disclosure, agenda, held_at, now, organiser, language)


async def _read_in_worker(source: MaterialSource, read: Callable[[AsyncSession, Meeting], Awaitable[T]]) -> T:
    database = create_database(source.database_url)
    try:
        async with database.reading() as session:
            meeting = await session.get(Meeting, source.meeting_id)
            if meeting is None:
                raise NotFound("meeting not found")
            return await read(session, meeting)
    finally:
        await database.dispose()


def _run(coroutine: Coroutine[object, object, T]) -> T:
    """``asyncio.run`` without its Ctrl-C handler, which the worker has no use for: putting the
    previous handler back makes Python 3.11 format the one it removes, with the finished task and
    its result, so every export paid for the text of its whole material (twice; a tenth of a
    second of CPU for 2,000 answers)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()


def build_report_from(
    kind: ReportKind, source: MaterialSource, disclosure: Disclosure, now: datetime, language: ReportLanguage | None
) -> bytes:
    """The report's file, its material read here. Runs in the worker."""

    async def read(session: AsyncSession, meeting: Meeting) -> ReportRequest:
        return await gather_report(session, meeting, disclosure, now, language)

    return build_report(kind, _run(_read_in_worker(source, read)))


def build_answer_rows_from(kind: RowsKind, source: MaterialSource, shown_to: Disclosure | None) -> bytes:
    """Every answer the export may show, its material read here. Runs in the worker."""
    return build_answer_rows(kind, _run(_read_in_worker(source, load_material)), shown_to)


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
        return docx_to_pdf(render_docx(report, contents_paged=pdf_contents_paged()))
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


class ReportRenderer:
    def __init__(self, database_url: str, workers: int = EXPORT_WORKERS) -> None:
        self.workers = workers
        # None: the worker cannot open the database (in memory); the loop gathers the material.
        self.database_url = None if is_memory(database_url) else database_url
        self._pool: ProcessPoolExecutor | None = None

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=lower_priority)
        return self._pool

    async def report(
        self,
        kind: ReportKind,
        session: AsyncSession,
        meeting: Meeting,
        disclosure: Disclosure,
        now: datetime,
        language: ReportLanguage | None = None,
    ) -> bytes:
        """The report of ``meeting`` (its own words in ``language``, or the meeting's);
        ``session`` (the caller's, its access checked) is closed before the build, so that its
        connection goes back to the pool."""
        loop = asyncio.get_running_loop()
        try:
            if self.database_url is None:
                request = await gather_report(session, meeting, disclosure, now, language)
                await session.close()
                return await loop.run_in_executor(self._workers(), build_report, kind, request)
            await session.close()
            source = MaterialSource(self.database_url, meeting.id)
            return await loop.run_in_executor(
                self._workers(), build_report_from, kind, source, disclosure, now, language
            )
        except PdfConversionFailed as failed:
            raise PdfFailed(f"the PDF could not be made now: {failed}; the DOCX export works") from failed

    async def answer_rows(
        self, kind: RowsKind, session: AsyncSession, meeting: Meeting, shown_to: Disclosure | None
    ) -> bytes:
        """Every answer of ``meeting`` the export may show; ``session`` is closed as for ``report``."""
        loop = asyncio.get_running_loop()
        if self.database_url is None:
            material = await load_material(session, meeting)
            await session.close()
            return await loop.run_in_executor(self._workers(), build_answer_rows, kind, material, shown_to)
        await session.close()
        source = MaterialSource(self.database_url, meeting.id)
        return await loop.run_in_executor(self._workers(), build_answer_rows_from, kind, source, shown_to)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
