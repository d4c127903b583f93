from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status
from starlette.datastructures import UploadFile

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, StateDep, UowDep
from app.errors import ERROR_RESPONSES, InvalidInput, UnsupportedMediaType
from app.participants import assignment, matching, service
from app.participants.roster_csv import MAX_IMPORT_BYTES, decode_csv
from app.participants.schemas import (
    AssignmentPreview,
    AssignmentPreviewRequest,
    AssignmentRead,
    AssignmentRequest,
    ErasureRequest,
    ImportReport,
    ParticipantCreate,
    ParticipantMatchRequest,
    ParticipantMoveRequest,
    ParticipantRead,
    ParticipantUpdate,
    RoomSeats,
)
from app.realtime.protocol import RosterEntry

router = APIRouter(prefix="/api", tags=["participants"], responses=ERROR_RESPONSES)

CSV_EXAMPLE = "name,email,organisation,gender,role,room\nAmina Rahman,amina@example.org,Ministry of Home Affairs,F,participant,Room 1\n"


async def _uploaded_csv(request: Request) -> str:
    """The CSV sent as the body (text/csv) or as the ``file`` field of a multipart form."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("text/csv", "multipart/form-data"):
        raise UnsupportedMediaType("send the CSV file as text/csv or as the 'file' field of a multipart form")
    if content_type == "multipart/form-data":
        async with request.form(max_files=1, max_fields=4, max_part_size=MAX_IMPORT_BYTES) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("file: send the CSV file in a form field named 'file'")
            data = await upload.read(MAX_IMPORT_BYTES + 1)
    else:
        data = b""
        async for chunk in request.stream():
            data += chunk
            if len(data) > MAX_IMPORT_BYTES:
                break
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB; split it", code="too_large")
    return decode_csv(data)


@router.post(
    "/meetings/{meeting_id}/participants", status_code=status.HTTP_201_CREATED, summary="Add someone to the roster"
)
async def add_participant(
    meeting_id: uuid.UUID, body: ParticipantCreate, uow: UowDep, actor: ActorDep
) -> ParticipantRead:
    return await service.add_participant(uow, actor, meeting_id, body)


@router.get(
    "/meetings/{meeting_id}/participants",
    summary="The roster (organisers: in full; moderators: their rooms, without email or gender)",
)
async def list_participants(
    meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep
) -> list[ParticipantRead] | list[RosterEntry]:
    return await service.list_participants(session, actor, meeting_id)


@router.get("/meetings/{meeting_id}/participants/me", summary="The caller's own roster entry")
async def my_participant(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> ParticipantRead:
    return await service.my_participant(session, actor, meeting_id)


@router.post(
    "/meetings/{meeting_id}/participants/import",
    summary="Import the roster from a CSV file",
    description="Send the file as the body (`text/csv`) or as the `file` field of a multipart form, UTF-8, "
    "with the header `name,email,organisation,gender,role,room` (and optionally `organisation_type`). "
    "Valid rows are imported in one transaction; each invalid row is reported with its line number "
    "(the header is line 1). Rows matching an entry by email (else name and organisation) update it.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                },
            },
        }
    },
)
async def import_participants(meeting_id: uuid.UUID, request: Request, uow: UowDep, actor: ActorDep) -> ImportReport:
    return await service.import_participants_csv(uow, actor, meeting_id, await _uploaded_csv(request))


@router.get("/participants/{participant_id}", summary="One roster entry in full (organisers, or the person)")
async def get_participant(participant_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> ParticipantRead:
    return await service.get_participant(session, actor, participant_id)


@router.patch("/participants/{participant_id}", summary="Change a roster entry")
async def update_participant(
    participant_id: uuid.UUID, body: ParticipantUpdate, uow: UowDep, actor: ActorDep
) -> ParticipantRead:
    return await service.update_participant(uow, actor, participant_id, body)


@router.post(
    "/participants/{participant_id}/move",
    summary="Move someone to another room, or out of all rooms",
    description="A full room refuses with 409 `room_full` unless `force` is true.",
)
async def move_participant(
    participant_id: uuid.UUID, body: ParticipantMoveRequest, uow: UowDep, actor: ActorDep
) -> ParticipantRead:
    return await assignment.move_participant(uow, actor, participant_id, body)


@router.post(
    "/participants/{participant_id}/match",
    summary="Match a walk-in to a roster entry: the two become one person",
    description="`participant_id` is someone who joined with the code or an open link, `roster_entry_id` the "
    "entry on the roster they are. The roster entry stays and takes over the walk-in's answers, votes, "
    "agreements, help requests and sessions; the walk-in's entry is removed. Organisers only. Refused with 409 "
    "`match_conflict` when both did something one person does once, `not_a_participant` for a moderator or "
    "observer, `erased` for an erased entry; 422 for an entry of another meeting or the walk-in itself.",
)
async def match_participant(
    participant_id: uuid.UUID, body: ParticipantMatchRequest, uow: UowDep, actor: ActorDep, state: StateDep
) -> ParticipantRead:
    matched = await matching.match_walk_in(uow, actor, participant_id, body)
    # The walk-in's sessions now sign in as the entry: no cached lookup may name the walk-in.
    state.live.sessions.forget_participant(participant_id)
    return matched


@router.post(
    "/participants/{participant_id}/erase",
    summary="Erase someone's personal data",
    description="Blanks email, gender and organisation, replaces the name with the pseudonym and signs the "
    "person out; their answers stay under the pseudonym. Erasing twice is refused with 409.",
)
async def erase_participant(
    participant_id: uuid.UUID, body: ErasureRequest, uow: UowDep, actor: ActorDep
) -> ParticipantRead:
    return await service.erase_participant(uow, actor, participant_id, body)


@router.post(
    "/meetings/{meeting_id}/assignment",
    summary="Choose how rooms are filled (balanced places everyone now)",
    description="`balanced` spreads participants over the rooms at random, evenly by gender and organisation "
    "type, within capacity (the same seed gives the same rooms; refused during breakouts). `self_select` lets "
    "participants pick a room with `POST /api/rooms/{room_id}/select`. `manual` leaves it to the organiser.",
)
async def assign_rooms(meeting_id: uuid.UUID, body: AssignmentRequest, uow: UowDep, actor: ActorDep) -> AssignmentRead:
    return await assignment.assign_rooms(uow, actor, meeting_id, body)


@router.post(
    "/meetings/{meeting_id}/assignment/preview",
    summary="Preview a balanced assignment, per room, without applying it (organisers)",
    description="Nothing is written. Apply it with `POST /api/meetings/{meeting_id}/assignment` and "
    "`{mode: balanced, seed, proposal}` from this answer: that places exactly these rooms, or refuses with 409 "
    "`assignment_changed` when people or rooms changed meanwhile.",
)
async def preview_assignment(
    meeting_id: uuid.UUID, body: AssignmentPreviewRequest, session: ReadSessionDep, actor: ActorDep
) -> AssignmentPreview:
    return await assignment.preview_balanced(session, actor, meeting_id, body)


@router.get(
    "/meetings/{meeting_id}/seats",
    summary="Seats taken and capacity of every room (anyone in the meeting)",
    description="What a room picker shows as places left; `room.seats` events update it while people choose.",
)
async def room_seats(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[RoomSeats]:
    return await assignment.room_seats(session, actor, meeting_id)


@router.post(
    "/rooms/{room_id}/select",
    summary="Choose this room (participants, when self-selection is on)",
    description="Refused with 409 when the room is full (`room_full`), when the organiser assigns rooms "
    "(`self_select_off`), or once the breakouts are running (`self_select_closed`).",
)
async def select_room(room_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> ParticipantRead:
    return await assignment.select_room(uow, actor, room_id)
