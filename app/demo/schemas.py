from __future__ import annotations

import uuid

from pydantic import BaseModel


class ModeratorLink(BaseModel):
    room_name: str
    moderator_name: str
    url: str


class PersonLink(BaseModel):
    display_name: str
    room_name: str | None
    url: str


class DemoLinks(BaseModel):
    """Everything needed to walk into the staged meeting, as ``breakouts demo`` prints it.

    ``organiser_password`` is shown once: it is None when the account existed before. The
    organiser link is new on every call (it expires within a working day); the other links are
    the same on every call for as long as nobody revokes them.
    """

    meeting_id: uuid.UUID
    title: str
    # False when the meeting had been staged before and is returned as it is.
    created: bool
    organiser_email: str
    organiser_password: str | None
    organiser_link: str
    moderator_links: list[ModeratorLink]
    policy_lead_link: PersonLink | None
    participant_join_link: str
    join_code: str
    participant_links: list[PersonLink]
