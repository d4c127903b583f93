"""Template documents and the people the template tests need, built through the real API."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import httpx
import yaml

REFERENCE_YAML = resources.files("app.demo").joinpath("reference-meeting.yaml").read_text(encoding="utf-8")

SMALL_TEMPLATE: dict[str, Any] = {
    "format": "breakouts-meeting-template",
    "version": 1,
    "meeting": {"title": "Small consultation", "languages": ["en"], "default_anonymity": "named"},
    "agenda": [
        {"title": "Welcome", "kind": "talk", "speaker": "Chair", "planned_minutes": 5},
        {"title": "Rooms", "kind": "breakouts", "planned_minutes": 30},
    ],
    "rooms": [
        {"name": "North", "theme": "Borders", "capacity": 8},
        {"name": "South", "theme": "Courts"},
    ],
    "questions": [
        {"code": "Q1", "text": "What works?", "kind": "open", "rooms": ["south", "North"]},
        {
            "code": "Q2",
            "theme": "Courts",
            "text": "Pick one",
            "kind": "single_choice",
            "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            "anonymity": "fully_anonymous",
            "visibility": "after_close",
            "rooms": ["South"],
        },
        {"text": "Rate it", "kind": "scale", "scale": {"min": 0, "max": 10, "labels": {0: "no", 10: "yes"}}},
    ],
}


def small_template(**changes: Any) -> dict[str, Any]:
    """A copy of the small template with top-level sections replaced."""
    return {**copy.deepcopy(SMALL_TEMPLATE), **changes}


def as_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


async def import_text(http: httpx.AsyncClient, text: str, content_type: str = "text/yaml") -> httpx.Response:
    return await http.post("/api/meetings/import", content=text.encode(), headers={"content-type": content_type})


async def imported_meeting(http: httpx.AsyncClient, text: str = REFERENCE_YAML) -> dict[str, Any]:
    response = await import_text(http, text)
    assert response.status_code == 201, response.text
    meeting: dict[str, Any] = response.json()
    return meeting


async def join_by_invite(
    organiser: httpx.AsyncClient, guest: httpx.AsyncClient, meeting_id: str, role: str, name: str = "Guest"
) -> dict[str, Any]:
    """The organiser makes an open link for ``role``; the guest opens it with a name."""
    created = await organiser.post(f"/api/meetings/{meeting_id}/invites", json={"role": role})
    assert created.status_code == 201, created.text
    token = created.json()["url"].rsplit("/", 1)[1]
    opened = await guest.post(f"/api/invites/{token}/open", json={"display_name": name})
    assert opened.status_code == 200, opened.text
    session: dict[str, Any] = opened.json()
    return session
