from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES, DomainError, InvalidInput
from app.realtime.protocol import MeetingView
from app.templates import service
from app.templates.document import (
    JSON_MEDIA_TYPE,
    TEMPLATE_MAX_BYTES,
    YAML_MEDIA_TYPE,
    TemplateFormat,
    TemplateTooLarge,
    render_template,
    template_filename,
)

router = APIRouter(prefix="/api", tags=["templates"], responses=ERROR_RESPONSES)

YAML_MEDIA_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
# The multipart envelope (boundaries, part headers) around a file at the cap.
MULTIPART_OVERHEAD_BYTES = 16_384
TEMPLATE_FILE_FIELD = "file"


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


def _source_of(media_type: str, filename: str = "") -> TemplateFormat | None:
    if media_type == JSON_MEDIA_TYPE or filename.lower().endswith(".json"):
        return TemplateFormat.JSON
    if media_type in YAML_MEDIA_TYPES or filename.lower().endswith((".yaml", ".yml")):
        return TemplateFormat.YAML
    return None


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes ``limit`` (a declared length or the bytes sent)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TemplateTooLarge(f"a template may hold at most {TEMPLATE_MAX_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TemplateTooLarge(f"a template may hold at most {TEMPLATE_MAX_BYTES} bytes")
    return bytes(body)


async def _once(data: bytes) -> AsyncGenerator[bytes, None]:
    yield data


async def _uploaded_file(request: Request) -> tuple[bytes, TemplateFormat]:
    body = await _body(request, TEMPLATE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES)
    parser = MultiPartParser(request.headers, _once(body), max_files=1, max_fields=10)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise InvalidInput(f"{TEMPLATE_FILE_FIELD}: the upload cannot be read ({error.message})") from None
    try:
        upload = form.get(TEMPLATE_FILE_FIELD)
        if not isinstance(upload, UploadFile):
            raise InvalidInput(f"{TEMPLATE_FILE_FIELD}: send the template as the form's '{TEMPLATE_FILE_FIELD}' file")
        data = await upload.read()
        media_type = (upload.content_type or "").split(";")[0].strip().lower()
        # YAML reads JSON too, so a file of unknown type is read as YAML.
        return data, _source_of(media_type, upload.filename or "") or TemplateFormat.YAML
    finally:
        await form.close()


async def _template_upload(request: Request) -> tuple[bytes, TemplateFormat]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _uploaded_file(request)
    source = _source_of(media_type)
    if source is None:
        raise UnsupportedMediaType(
            "send the template as text/yaml, application/x-yaml, application/json or a multipart file upload"
        )
    return await _body(request, TEMPLATE_MAX_BYTES), source


_IMPORT_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "text/yaml": {"schema": {"type": "string"}},
        "application/x-yaml": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object", "description": "the template as JSON"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {TEMPLATE_FILE_FIELD: {"type": "string", "format": "binary"}},
                "required": [TEMPLATE_FILE_FIELD],
            }
        },
    },
}


@router.post(
    "/meetings/import",
    status_code=status.HTTP_201_CREATED,
    summary="Create a meeting from a template file (organisers)",
    description="The body is a meeting template (`format: breakouts-meeting-template`, `version: 1`) "
    "as YAML or JSON, or a multipart upload of it in the field `file`, at most 1 MB (413 beyond). "
    "The new meeting is in draft. A bad field is refused with 422, the message starting with its path.",
    openapi_extra={"requestBody": _IMPORT_BODY},
    responses={413: {"description": "The template is larger than 1 MB"}, 415: {"description": "Not YAML or JSON"}},
)
async def import_template(request: Request, uow: UowDep, actor: ActorDep) -> MeetingView:
    data, source = await _template_upload(request)
    return await service.import_template_file(uow, actor, data, source)


@router.get(
    "/meetings/{meeting_id}/template",
    summary="Download the meeting's preparation as a template file (organisers)",
    description="Agenda, rooms, questions and which rooms ask them; never people or answers.",
    response_class=Response,
    responses={200: {"content": {YAML_MEDIA_TYPE: {}, JSON_MEDIA_TYPE: {}}}},
)
async def export_template(
    meeting_id: uuid.UUID,
    session: ReadSessionDep,
    actor: ActorDep,
    format: Annotated[TemplateFormat, Query(description="yaml (default) or json")] = TemplateFormat.YAML,
) -> Response:
    template = await service.export_template(session, actor, meeting_id)
    filename = template_filename(template.meeting.title, format)
    return Response(
        render_template(template, format),
        media_type=JSON_MEDIA_TYPE if format is TemplateFormat.JSON else YAML_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
