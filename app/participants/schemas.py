from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.inputs import Input
from app.realtime.protocol import RosterEntry
from app.vocabulary import EMAIL_PATTERN, AssignmentMode, Gender, OrganisationType, Role


class ParticipantCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "display_name": "Amina Rahman",
                    "email": "amina@example.org",
                    "organisation": "Ministry of Home Affairs",
                    "organisation_type": "ministry",
                    "gender": "female",
                    "role": "participant",
                }
            ]
        }
    )

    display_name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=254)
    organisation: str = Field(default="", max_length=200)
    organisation_type: OrganisationType | None = None
    gender: Gender | None = Field(default=None, description="Self-declared; None when not given")
    role: Role = Role.PARTICIPANT
    room_id: uuid.UUID | None = None


class ParticipantUpdate(Input):
    """Only the fields sent change; ``email``, ``gender``, ``organisation_type`` and ``room_id`` may
    be cleared with null. A new ``room_id`` moves the person (as ``/move`` does, without force)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"organisation": "Supreme Court", "role": "observer"}]})

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=254)
    organisation: str | None = Field(default=None, max_length=200)
    organisation_type: OrganisationType | None = None
    gender: Gender | None = None
    role: Role | None = None
    room_id: uuid.UUID | None = None


class ParticipantRead(RosterEntry):
    """A roster entry with the personal data only organisers (and the person) may see."""

    pseudonym: str
    email: str | None
    organisation_type: OrganisationType | None
    gender: Gender | None
    erased_at: datetime | None
    created_at: datetime


class ParticipantMoveRequest(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"room_id": "0b6f9a52-8d3c-4e1f-a2b7-5c9d3e1f7a20", "force": False}]}
    )

    room_id: uuid.UUID | None = Field(description="None: back to no room")
    force: bool = Field(default=False, description="Move even when the room is at capacity")


class ParticipantMatchRequest(Input):
    """The roster entry a walk-in (someone who joined with the code or an open link) is."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"roster_entry_id": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"}]}
    )

    roster_entry_id: uuid.UUID


class ErasureRequest(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Asked by email on 3 March"}]})

    reason: str = Field(default="", max_length=500)


class AssignmentRequest(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"mode": "balanced", "seed": 2024}]})

    mode: AssignmentMode
    seed: int | None = Field(
        default=None, ge=0, le=2**63 - 1, description="Balanced mode: the same seed gives the same rooms"
    )
    proposal: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="Balanced mode: the `proposal` of a preview with this seed. Applies exactly that proposal, "
        "or refuses with 409 `assignment_changed` when people or rooms changed since.",
    )


class AssignmentPreviewRequest(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"seed": 2024}]})

    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, description="None: a seed is drawn")


class RoomProposal(BaseModel):
    """What one room would hold: how many, and their spread of gender and organisation type."""

    room_id: uuid.UUID
    name: str
    capacity: int | None
    count: int
    genders: dict[str, int] = Field(description="People per gender ('' for not given)")
    organisation_types: dict[str, int] = Field(description="People per organisation type ('' for not given)")


class AssignmentPreview(BaseModel):
    """A balanced assignment computed without writing anything: apply it with its seed and proposal."""

    seed: int
    proposal: str = Field(description="Identifies the people, rooms and seed the preview was made from")
    moves: int = Field(description="People whose room would change")
    rooms: list[RoomProposal]


class RoomSeats(BaseModel):
    room_id: uuid.UUID
    seats_taken: int
    capacity: int | None


class AssignmentRead(BaseModel):
    mode: AssignmentMode
    seed: int | None
    moved: int = Field(description="People whose room changed")
    rooms: list[RoomSeats]


class ImportRowError(BaseModel):
    line: int = Field(description="1-based line in the file; the header is line 1")
    column: str | None
    reason: str


class ImportReport(BaseModel):
    imported: int = Field(description="New roster entries")
    updated: int = Field(description="Entries matched by email (or name and organisation) and changed")
    unchanged: int
    rejected: int = Field(description="Rows not imported; each is explained in errors")
    errors: list[ImportRowError]
