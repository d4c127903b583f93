from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.inputs import Input
from app.vocabulary import EMAIL_PATTERN, Gender, OrganisationType, Role

SessionDelivery = Literal["cookie", "token"]


class LoginRequest(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "organiser@example.org", "password": "a long passphrase"}]}
    )

    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=200)
    session_delivery: SessionDelivery = "cookie"


class JoinRequest(Input):
    """What a person gives when they open an open join link or type the meeting code."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"display_name": "Amina Rahman", "organisation": "Ministry of Home Affairs"}]}
    )

    display_name: str | None = Field(
        default=None,
        max_length=120,
        description="Required by an open link and the code; a personal link keeps the roster's name when absent.",
    )
    # With the code or an open link: the address the organiser's roster has for the person, so
    # that they join as their roster entry (see ``app.participants.service.roster_entry_to_claim``).
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=254)
    organisation: str = Field(default="", max_length=200)
    organisation_type: OrganisationType | None = None
    gender: Gender | None = None
    session_delivery: SessionDelivery = "cookie"

    @field_validator("display_name")
    @classmethod
    def _blank_name_is_no_name(cls, value: str | None) -> str | None:
        """A name of spaces is no name: the same refusal (or the roster's name) as an absent one."""
        stripped = value.strip() if value is not None else ""
        return stripped or None


class CodeJoinRequest(JoinRequest):
    code: str = Field(min_length=4, max_length=12)


class SessionRead(BaseModel):
    """The caller after sign-in. ``token`` is only returned when asked for (API clients)."""

    kind: Literal["account", "participant"]
    account_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    role: Role | None = None
    room_id: uuid.UUID | None = None
    display_name: str
    token: str | None = None


class MeRead(BaseModel):
    account: SessionRead | None = None
    participant: SessionRead | None = None


class InviteCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"role": "participant", "label": "Open join link"}]})

    role: Literal["moderator", "participant", "observer"]
    room_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = Field(
        default=None, description="Makes a personal link that signs this roster entry in."
    )
    label: str = Field(default="", max_length=120)
    expires_at: datetime | None = None


class InvitePreview(BaseModel):
    """What an invite link is for, read before it is opened: only what opening it would grant."""

    meeting_id: uuid.UUID
    meeting_title: str
    role: Role
    room_name: str | None = Field(description="The room the link seats its holder in, if any.")
    personal: bool = Field(description="The link signs in one person (a roster entry or an organiser).")
    invitee_name: str | None = Field(description="The person a personal link signs in.")
    participant_id: uuid.UUID | None = Field(description="The roster entry a personal link signs in.")
    name_required: bool = Field(description="Opening the link asks for the name others will see.")
    closed: bool = Field(description="The meeting is closed: the link no longer admits anyone new.")
    signed_in_as: MeRead = Field(
        description="The caller's own sessions on this device (empty without one), so that the page can "
        "ask before the link changes who the device is."
    )


class InviteRead(BaseModel):
    id: uuid.UUID
    meeting_id: uuid.UUID
    role: Role
    room_id: uuid.UUID | None
    participant_id: uuid.UUID | None
    label: str
    expires_at: datetime | None
    revoked_at: datetime | None
    url: str


class AccountCreate(BaseModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    display_name: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=10, max_length=200)


class RosterLinksCreate(Input):
    """Which roster entries get a personal link; each keeps the active one it has."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"roles": ["participant", "moderator"]}]})

    roles: list[Literal["moderator", "participant", "observer"]] = Field(
        default=["participant", "moderator", "observer"], min_length=1, max_length=3
    )


class RosterLink(BaseModel):
    """One person's personal invitation link, with what the organiser needs to send it."""

    participant_id: uuid.UUID
    display_name: str
    email: str | None
    role: Role
    room_name: str | None
    url: str


class RosterLinksRead(BaseModel):
    created: int = Field(description="Links made by this call (0 when everyone had one already).")
    links: list[RosterLink] = Field(description="Every roster entry with an active personal link, by name.")
