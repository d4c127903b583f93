"""Exports are rendered off the event loop, so that a large report never stalls the sockets.

Three steps, each where it costs the loop least:

1. **Gather** (on the loop): the access check and the material, read from the database; the
   async driver's queries are cheap to wait for.
2. **Assemble** (a thread): the plenary merge and the report's document, built from the objects
   just read, and encoded as JSON. This step works on ORM objects, which cannot cross to another
   process, so it runs beside the loop in a thread (the loop still gets the interpreter between
   the thread's slices).
3. **Render** (a worker process): DOCX, Markdown and CSV, the step that took seconds for a large
   meeting (python-docx builds an XML tree per paragraph), from the JSON of step 2. A process
   has its own interpreter, so it never holds the loop's; it runs at a lower CPU priority
   (``WORKER_NICENESS``), so on a machine whose cores are busy the sockets come first. The JSON
   exports are the JSON of step 2 itself.

The pool starts with the first export (``spawn``: a clean interpreter, none of the server's
threads or sockets) and stops with the application.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Literal, TypeVar

from pydantic import TypeAdapter

from app.reports.answers_export import answers_csv
from app.reports.docx_writer import render_docx
from app.reports.markdown import render_markdown
from app.reports.schemas import AnswerExportRow, ReportDocument

RenderKind = Literal["docx", "markdown", "csv"]
EXPORT_WORKERS = 1  # the machine's other cores serve requests; exports queue (app.admission.EXPORTS)
WORKER_NICENESS = 10

Assembled = TypeVar("Assembled")
_ROWS = TypeAdapter(list[AnswerExportRow])


def render_payload(kind: RenderKind, payload: bytes) -> bytes:
    """The file of ``kind`` from the JSON of a report document (DOCX, Markdown) or of answer rows
    (CSV). Runs in the worker process."""
    if kind == "docx":
        return render_docx(ReportDocument.model_validate_json(payload))
    if kind == "markdown":
        return render_markdown(ReportDocument.model_validate_json(payload)).encode()
    # A byte-order mark lets spreadsheet programs read the UTF-8 (Bengali text) correctly.
    return answers_csv(_ROWS.validate_json(payload)).encode("utf-8-sig")


def _worker_started() -> None:
    os.nice(WORKER_NICENESS)


class ReportRenderer:
    def __init__(self, workers: int = EXPORT_WORKERS) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def assemble(self, build: Callable[[], Assembled]) -> Assembled:
        """Step 2: ``build`` (pure work on data already read) in a thread."""
        return await asyncio.to_thread(build)

    async def render(self, kind: RenderKind, payload: bytes) -> bytes:
        """Step 3, in the worker process."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_started)
        return await asyncio.get_running_loop().run_in_executor(self._pool, render_payload, kind, payload)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
