from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, SettingsDep, StateDep, UowDep
from app.errors import ERROR_RESPONSES, ErrorBody
from app.reports import service
from app.reports.rendering import ReportRenderer
from app.reports.schemas import AnswerExportRow, ReportDocument, ReportLinkRead
from app.reports.service import CSV_MEDIA_TYPE, DOCX_MEDIA_TYPE, MARKDOWN_MEDIA_TYPE, PDF_MEDIA_TYPE, ExportFile
from app.reports.wording import ReportLanguage
from app.state import AppState

router = APIRouter(prefix="/api", tags=["reports"], responses=ERROR_RESPONSES)

# A reader may ask for the report's own words in another language with a catalogue; anything else
# is a 422 in the error shape.
LanguageQuery = Annotated[
    ReportLanguage | None,
    Query(
        description="The language of the report's own words (en or bn); the meeting's first such language if left out"
    ),
]


def _file_response(export: ExportFile) -> Response:
    return Response(
        content=export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


def _json_response(content: bytes) -> Response:
    return Response(content=content, media_type="application/json")


@asynccontextmanager
async def _export(state: AppState) -> AsyncIterator[ReportRenderer]:
    """An export slot (503 ``overloaded`` when too many wait) and the renderer."""
    async with state.heavy.exports.slot():
        yield state.reports


def _content(media_type: str, binary: bool = False) -> dict[int | str, dict[str, Any]]:
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {200: {"content": {media_type.split(";")[0]: {"schema": schema}}, "description": "The file"}}


# The PDF export's own failures, in the error shape.
PDF_ERRORS: dict[int | str, dict[str, Any]] = {
    501: {"model": ErrorBody, "description": "No PDF converter on this server (code `pdf_unavailable`)"},
    503: {"model": ErrorBody, "description": "Overloaded (`overloaded`), or the conversion failed (`pdf_failed`)"},
}


@router.get(
    "/meetings/{meeting_id}/report",
    summary="The position-paper draft as data (organisers; any phase)",
    response_model=ReportDocument,
)
async def get_report(
    meeting_id: uuid.UUID, session: ReadSessionDep, state: StateDep, actor: ActorDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _json_response(await service.report_document(session, renderer, actor, meeting_id, language))


@router.get(
    "/meetings/{meeting_id}/report.md",
    summary="The position-paper draft as Markdown with footnotes (organisers; any phase)",
    response_class=Response,
    responses=_content(MARKDOWN_MEDIA_TYPE),
)
async def get_report_markdown(
    meeting_id: uuid.UUID, session: ReadSessionDep, state: StateDep, actor: ActorDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.report_file(session, renderer, actor, meeting_id, "markdown", language))


@router.get(
    "/meetings/{meeting_id}/report.docx",
    summary="The position-paper draft as a Word document (organisers; any phase)",
    response_class=Response,
    responses=_content(DOCX_MEDIA_TYPE, binary=True),
)
async def get_report_docx(
    meeting_id: uuid.UUID, session: ReadSessionDep, state: StateDep, actor: ActorDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.report_file(session, renderer, actor, meeting_id, "docx", language))


@router.get(
    "/meetings/{meeting_id}/report.pdf",
    summary="The position-paper draft as PDF (organisers; any phase)",
    response_class=Response,
    responses={**_content(PDF_MEDIA_TYPE, binary=True), **PDF_ERRORS},
)
async def get_report_pdf(
    meeting_id: uuid.UUID, session: ReadSessionDep, state: StateDep, actor: ActorDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.report_file(session, renderer, actor, meeting_id, "pdf", language))


@router.get(
    "/meetings/{meeting_id}/answers.csv",
    summary="Every answer with room, question, author or pseudonym, votes and moderation state (organisers)",
    response_class=Response,
    responses=_content(CSV_MEDIA_TYPE),
)
async def get_answers_csv(meeting_id: uuid.UUID, session: ReadSessionDep, state: StateDep, actor: ActorDep) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.answers_csv_file(session, renderer, actor, meeting_id))


@router.get(
    "/meetings/{meeting_id}/answers.json",
    summary="Every answer as JSON, the same fields as the CSV (organisers)",
    response_model=list[AnswerExportRow],
)
async def get_answers_json(
    meeting_id: uuid.UUID, session: ReadSessionDep, state: StateDep, actor: ActorDep
) -> Response:
    async with _export(state) as renderer:
        return _json_response(await service.answers_json(session, renderer, actor, meeting_id))


@router.post(
    "/meetings/{meeting_id}/report-link",
    status_code=status.HTTP_201_CREATED,
    summary="Share the report read-only: returns the link, made now if there is none (organisers)",
)
async def create_report_link(
    meeting_id: uuid.UUID, uow: UowDep, settings: SettingsDep, actor: ActorDep
) -> ReportLinkRead:
    return await service.create_report_link(uow, settings, actor, meeting_id)


@router.get("/meetings/{meeting_id}/report-link", summary="The report link currently shared, if any (organisers)")
async def get_report_link(
    meeting_id: uuid.UUID, session: ReadSessionDep, settings: SettingsDep, actor: ActorDep
) -> ReportLinkRead:
    return await service.get_report_link(session, settings, actor, meeting_id)


@router.delete(
    "/meetings/{meeting_id}/report-link",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke the report link: every copy of it answers 404 from now on (organisers)",
)
async def revoke_report_link(meeting_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> None:
    await service.revoke_report_link(uow, actor, meeting_id)


@router.get(
    "/reports/{token}", summary="The shared report as data (anyone with the link)", response_model=ReportDocument
)
async def shared_report(
    token: str, session: ReadSessionDep, state: StateDep, settings: SettingsDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _json_response(await service.shared_report(session, renderer, settings, token, language))


@router.get(
    "/reports/{token}/report.md",
    summary="The shared report as Markdown (anyone with the link)",
    response_class=Response,
    responses=_content(MARKDOWN_MEDIA_TYPE),
)
async def shared_report_markdown(
    token: str, session: ReadSessionDep, state: StateDep, settings: SettingsDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _file_response(
            await service.shared_report_file(session, renderer, settings, token, "markdown", language)
        )


@router.get(
    "/reports/{token}/report.docx",
    summary="The shared report as a Word document (anyone with the link)",
    response_class=Response,
    responses=_content(DOCX_MEDIA_TYPE, binary=True),
)
async def shared_report_docx(
    token: str, session: ReadSessionDep, state: StateDep, settings: SettingsDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.shared_report_file(session, renderer, settings, token, "docx", language))


@router.get(
    "/reports/{token}/report.pdf",
    summary="The shared report as PDF (anyone with the link)",
    response_class=Response,
    responses={**_content(PDF_MEDIA_TYPE, binary=True), **PDF_ERRORS},
)
async def shared_report_pdf(
    token: str, session: ReadSessionDep, state: StateDep, settings: SettingsDep, language: LanguageQuery = None
) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.shared_report_file(session, renderer, settings, token, "pdf", language))


@router.get(
    "/reports/{token}/answers.csv",
    summary="The answers the shared report may show, as CSV (anyone with the link)",
    response_class=Response,
    responses=_content(CSV_MEDIA_TYPE),
)
async def shared_answers_csv(token: str, session: ReadSessionDep, state: StateDep, settings: SettingsDep) -> Response:
    async with _export(state) as renderer:
        return _file_response(await service.shared_answers_csv_file(session, renderer, settings, token))
