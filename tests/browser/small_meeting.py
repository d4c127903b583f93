"""A small meeting of its own for a browser test that ends phases (closing a meeting cannot be
undone, so these tests never touch the session's reference meeting): made over the organiser's
REST API, with two rooms, a moderator and participants each with a personal link."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.browser.staging import StagedMeeting, organiser_call


@dataclass
class SmallMeeting:
    staged: StagedMeeting
    meeting_id: str
    rooms: dict[str, str]
    agenda: dict[str, str]
    questions: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, body: object = None) -> Any:
        return organiser_call(self.staged, method, path, body)

    def phase(self, phase: str, **extra: object) -> dict[str, Any]:
        meeting: dict[str, Any] = self.call("POST", f"/api/meetings/{self.meeting_id}/phase", {"phase": phase, **extra})
        return meeting

    def person(self, name: str, room: str, role: str = "participant") -> str:
        """A roster entry placed in ``room`` (moderating it when ``role`` is moderator); its link."""
        entry = self.call(
            "POST",
            f"/api/meetings/{self.meeting_id}/participants",
            {"display_name": name, "role": role, "room_id": self.rooms[room]},
        )
        if role == "moderator":
            self.call("PUT", f"/api/rooms/{self.rooms[room]}/moderators", {"participant_ids": [entry["id"]]})
        invite = self.call(
            "POST", f"/api/meetings/{self.meeting_id}/invites", {"role": role, "participant_id": entry["id"]}
        )
        return str(invite["url"])

    def push(self, question: str, room: str) -> None:
        self.call("POST", f"/api/rooms/{self.rooms[room]}/questions/{self.questions[question]}/push")

    def timer(self, seconds: int, room: str | None = None, label: str = "") -> None:
        body = {"seconds": seconds, "label": label, "room_id": self.rooms[room] if room else None}
        self.call("POST", f"/api/meetings/{self.meeting_id}/timers", body)

    def broadcast(self, message: str) -> None:
        self.call("POST", f"/api/meetings/{self.meeting_id}/broadcasts", {"message": message})


def small_meeting(staged: StagedMeeting, title: str) -> SmallMeeting:
    meeting = organiser_call(staged, "POST", "/api/meetings", {"title": title})
    assert isinstance(meeting, dict)
    meeting_id = str(meeting["id"])
    rooms = {}
    for name in ("Room 1", "Room 2"):
        room = organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/rooms", {"name": name})
        assert isinstance(room, dict)
        rooms[name] = str(room["id"])
    agenda = {}
    for title_, kind in (("Welcome", "talk"), ("Round 1", "breakouts"), ("Report-back", "report_back")):
        item = organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/agenda", {"title": title_, "kind": kind})
        assert isinstance(item, dict)
        agenda[title_] = str(item["id"])
    small = SmallMeeting(staged=staged, meeting_id=meeting_id, rooms=rooms, agenda=agenda)
    for code, text in (("Q1", "Which gaps in national law matter most?"), ("Q2", "What should change first?")):
        question = small.call("POST", f"/api/meetings/{meeting_id}/questions", {"code": code, "text": text})
        small.call("PUT", f"/api/questions/{question['id']}/allocations", {"room_ids": list(rooms.values())})
        small.questions[code] = str(question["id"])
    return small
