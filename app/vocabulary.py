"""The domain's shared vocabulary: the closed sets of values every feature and the wire agree on."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    DRAFT = "draft"
    LOBBY = "lobby"
    PLENARY = "plenary"
    BREAKOUTS = "breakouts"
    REPORT_BACK = "report_back"
    CLOSED = "closed"


class AgendaKind(StrEnum):
    TALK = "talk"
    BREAKOUTS = "breakouts"
    REPORT_BACK = "report_back"


class Role(StrEnum):
    ORGANISER = "organiser"
    MODERATOR = "moderator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class JoinedBy(StrEnum):
    """How an entry came onto the roster: put there by the organisers (imported, added, given a
    personal link), or a walk-in who typed the meeting's code or opened an open invite link."""

    ROSTER = "roster"
    CODE = "code"
    OPEN_LINK = "open_link"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    UNDISCLOSED = "undisclosed"


class OrganisationType(StrEnum):
    MINISTRY = "ministry"
    POLICE = "police"
    PROSECUTION = "prosecution"
    JUDICIARY = "judiciary"
    CIVIL_SOCIETY = "civil_society"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    ACADEMIA = "academia"
    PRIVATE_SECTOR = "private_sector"
    OTHER = "other"


class Anonymity(StrEnum):
    NAMED = "named"
    ANONYMOUS_TO_PEERS = "anonymous_to_peers"
    FULLY_ANONYMOUS = "fully_anonymous"


class Visibility(StrEnum):
    LIVE = "live"
    AFTER_CLOSE = "after_close"


class QuestionKind(StrEnum):
    OPEN = "open"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"


class QuestionState(StrEnum):
    PENDING = "pending"
    LIVE = "live"
    CLOSED = "closed"


class FindingStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"


class AssignmentMode(StrEnum):
    MANUAL = "manual"
    BALANCED = "balanced"
    SELF_SELECT = "self_select"


# Enough to catch typos in an address; deliverability is not ours to check.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class HandStatus(StrEnum):
    """A raised hand: up, seen by the room's staff ("being handled"), then down, by its owner
    (``lowered``, also when they leave the room or the rooms close) or by staff (``answered``)."""

    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    LOWERED = "lowered"
    ANSWERED = "answered"
