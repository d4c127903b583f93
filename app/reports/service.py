"""Reports, at any phase: the position-paper draft (Markdown, DOCX, PDF, JSON), every answer (CSV,
JSON), and the read-only report link the organiser shares with everyone who took part.

Exports are for the meeting's organisers. The report link opens the same report to anyone who
has it, without signing in, showing only what participants may see (answers of questions shown
after close appear once closed; hidden and merged-away answers never, in the CSV neither);
revoking it clears the token id, so every copy of it then 404s. Exports are built in a worker
process, off the event loop (``app.reports.rendering``). Sharing and revoking are told to
the meeting stream (``report.link_changed``): everyone in the meeting is meant to have the link.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access
from app.auth.secrets import sign_id, verify_signed_id
from app.database import utcnow
from app.errors import NotFound
from app.meetings.models import Meeting
from app.plenary.disclosure import ORGANISER_REPORT, SHARED_REPORT, Disclosure
from app.realtime.eventlog import meeting_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ReportLinkChanged
from app.reports import repository
from app.reports.pdf import require_converter
from app.reports.rendering import ReportKind, ReportRenderer
from app.reports.schemas import ReportLinkRead
from app.reports.wording import ReportLanguage
from app.settings import Settings

REPORT_LINK_PURPOSE = "report"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"
PDF_MEDIA_TYPE = "application/pdf"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
ReportFormat = Literal["markdown", "docx", "pdf"]


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


def _file_stem(meeting: Meeting) -> str:
    ascii_title = unicodedata.normalize("NFKD", meeting.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    return slug or "meeting"


async def _organiser_meeting(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> Meeting:
    access = await meeting_access(session, actor, meeting_id)
    access.require_organiser()
    return access.meeting


async def _report(
    session: AsyncSession,
    renderer: ReportRenderer,
    meeting: Meeting,
    disclosure: Disclosure,
    kind: ReportKind,
    language: ReportLanguage | None,
) -> bytes:
    if kind == "pdf":
        require_converter()
    return await renderer.report(kind, session, meeting, disclosure, utcnow(), language)


async def _document_json(
    session: AsyncSession,
    renderer: ReportRenderer,
    meeting: Meeting,
    disclosure: Disclosure,
    language: ReportLanguage | None,
) -> bytes:
    return await _report(session, renderer, meeting, disclosure, "json", language)


async def _rendered(
    session: AsyncSession,
    renderer: ReportRenderer,
    meeting: Meeting,
    disclosure: Disclosure,
    kind: ReportFormat,
    language: ReportLanguage | None,
) -> ExportFile:
    stem = _file_stem(meeting)
    content = await _report(session, renderer, meeting, disclosure, kind, language)
    if kind == "docx":
        return ExportFile(f"{stem}-report.docx", DOCX_MEDIA_TYPE, content)
    if kind == "pdf":
        return ExportFile(f"{stem}-report.pdf", PDF_MEDIA_TYPE, content)
    return ExportFile(f"{stem}-report.md", MARKDOWN_MEDIA_TYPE, content)


async def _answers_csv(
    session: AsyncSession, renderer: ReportRenderer, meeting: Meeting, shown_to: Disclosure | None
) -> ExportFile:
    content = await renderer.answer_rows("csv", session, meeting, shown_to)
    return ExportFile(f"{_file_stem(meeting)}-answers.csv", CSV_MEDIA_TYPE, content)


async def report_document(
    session: AsyncSession,
    renderer: ReportRenderer,
    actor: Actor | None,
    meeting_id: uuid.UUID,
    language: ReportLanguage | None = None,
) -> bytes:
    """The report as the JSON of a ``ReportDocument`` (its own words in `language`, or the meeting's)."""
    meeting = await _organiser_meeting(session, actor, meeting_id)
    return await _document_json(session, renderer, meeting, ORGANISER_REPORT, language)


async def report_file(
    session: AsyncSession,
    renderer: ReportRenderer,
    actor: Actor | None,
    meeting_id: uuid.UUID,
    kind: ReportFormat,
    language: ReportLanguage | None = None,
) -> ExportFile:
    meeting = await _organiser_meeting(session, actor, meeting_id)
    return await _rendered(session, renderer, meeting, ORGANISER_REPORT, kind, language)


async def answers_json(
    session: AsyncSession, renderer: ReportRenderer, actor: Actor | None, meeting_id: uuid.UUID
) -> bytes:
    """Every answer as the JSON of a list of ``AnswerExportRow``."""
    meeting = await _organiser_meeting(session, actor, meeting_id)
    return await renderer.answer_rows("json", session, meeting, None)


async def answers_csv_file(
    session: AsyncSession, renderer: ReportRenderer, actor: Actor | None, meeting_id: uuid.UUID
) -> ExportFile:
    meeting = await _organiser_meeting(session, actor, meeting_id)
    return await _answers_csv(session, renderer, meeting, None)


# --- the report link ------------------------------------------------------------------------


def _link(settings: Settings, token_id: uuid.UUID) -> ReportLinkRead:
    token = sign_id(settings.secret_key.get_secret_value(), REPORT_LINK_PURPOSE, token_id)
    base = settings.public_base_url
    return ReportLinkRead(
        url=f"{base}/reports/{token}",
        json_url=f"{base}/api/reports/{token}",
        markdown_url=f"{base}/api/reports/{token}/report.md",
        docx_url=f"{base}/api/reports/{token}/report.docx",
        pdf_url=f"{base}/api/reports/{token}/report.pdf",
        csv_url=f"{base}/api/reports/{token}/answers.csv",
    )


def shared_report_url(settings: Settings, meeting: Meeting) -> str | None:
    """The page of the meeting's shared report, None while it is not shared (the meeting stream's
    snapshot carries it)."""
    return None if meeting.report_token_id is None else _link(settings, meeting.report_token_id).url


async def create_report_link(
    uow: UnitOfWork, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID
) -> ReportLinkRead:
    """The meeting's report link, made now if there is none (asking again returns the same link
    and tells nobody again)."""
    meeting = await _organiser_meeting(uow.session, actor, meeting_id)
    if meeting.report_token_id is not None:
        return _link(settings, meeting.report_token_id)
    meeting.report_token_id = uuid.uuid4()
    link = _link(settings, meeting.report_token_id)
    await uow.emit(meeting_stream(meeting.id), meeting.id, "report.link_changed", ReportLinkChanged(url=link.url))
    return link


async def get_report_link(
    session: AsyncSession, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID
) -> ReportLinkRead:
    meeting = await _organiser_meeting(session, actor, meeting_id)
    if meeting.report_token_id is None:
        raise NotFound("no report link is shared for this meeting")
    return _link(settings, meeting.report_token_id)


async def revoke_report_link(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID) -> None:
    meeting = await _organiser_meeting(uow.session, actor, meeting_id)
    if meeting.report_token_id is None:
        return
    meeting.report_token_id = None
    await uow.emit(meeting_stream(meeting.id), meeting.id, "report.link_changed", ReportLinkChanged(url=None))


async def _shared_meeting(session: AsyncSession, settings: Settings, token: str) -> Meeting:
    token_id = verify_signed_id(settings.secret_key.get_secret_value(), REPORT_LINK_PURPOSE, token)
    meeting = await repository.meeting_by_report_token(session, token_id) if token_id is not None else None
    if meeting is None:
        raise NotFound("this report link is not valid; ask the organiser for a new one")
    return meeting


async def shared_report(
    session: AsyncSession,
    renderer: ReportRenderer,
    settings: Settings,
    token: str,
    language: ReportLanguage | None = None,
) -> bytes:
    meeting = await _shared_meeting(session, settings, token)
    return await _document_json(session, renderer, meeting, SHARED_REPORT, language)


async def shared_report_file(
    session: AsyncSession,
    renderer: ReportRenderer,
    settings: Settings,
    token: str,
    kind: ReportFormat,
    language: ReportLanguage | None = None,
) -> ExportFile:
    meeting = await _shared_meeting(session, settings, token)
    return await _rendered(session, renderer, meeting, SHARED_REPORT, kind, language)


async def shared_answers_csv_file(
    session: AsyncSession, renderer: ReportRenderer, settings: Settings, token: str
) -> ExportFile:
    """The answers the shared report rests on: those it may show, authors as the report names them."""
    meeting = await _shared_meeting(session, settings, token)
    return await _answers_csv(session, renderer, meeting, SHARED_REPORT)
