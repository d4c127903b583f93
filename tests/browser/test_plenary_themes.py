"""The organiser sees the shared question's points by theme ("raised in n of m rooms", the rooms)
in the console's curation, moves a point to another theme there, and the plenary view follows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.pages import Person, open_person, sign_in_organiser
from tests.browser.small_meeting import small_meeting
from tests.browser.staging import StagedMeeting

# Two points on health and one on housing, each raised in both rooms.
ANSWERS = {
    "Room 1": [
        "More doctors at the county hospital",
        "Longer opening hours for clinics",
        "Cheaper rents for young families",
    ],
    "Room 2": [
        "More doctors at the county hospital!",
        "Clinics should open longer hours",
        "Cheaper rents for young families!",
    ],
}


@pytest.fixture
async def organiser(browser: Browser) -> AsyncIterator[Person]:
    person = await open_person(browser, "organiser")
    yield person
    assert person.csp_violations() == []
    await person.context.close()


def answer_as(staged: StagedMeeting, invite_url: str, room_id: str, question_id: str, text: str, n: int) -> None:
    """Someone answering from a device of their own, through the API (a session from their link)."""
    token = invite_url.rsplit("/", 1)[1]
    opened = httpx.post(f"{staged.base_url}/api/invites/{token}/open", json={"session_delivery": "token"}, timeout=10)
    opened.raise_for_status()
    answered = httpx.post(
        f"{staged.base_url}/api/rooms/{room_id}/questions/{question_id}/answers",
        json={"client_id": f"theme-answer-{n}", "text": text},
        headers={"authorization": f"Bearer {opened.json()['token']}"},
        timeout=10,
    )
    answered.raise_for_status()


def _q1(read: dict[str, Any]) -> dict[str, Any]:
    question: dict[str, Any] = next(
        question for theme in read["themes"] for question in theme["questions"] if question["question"]["code"] == "Q1"
    )
    return question


async def test_the_organiser_sees_themes_and_moves_a_point(
    organiser: Person, staged: StagedMeeting, artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Plenary themes")
    voices = {room: [meeting.person(f"Voice {n} of {room}", room) for n in range(3)] for room in ANSWERS}
    meeting.phase("lobby")
    meeting.phase("plenary")
    meeting.phase("breakouts")
    n = 0
    for room, texts in ANSWERS.items():
        meeting.push("Q1", room)
        for link, text in zip(voices[room], texts, strict=True):
            n += 1
            answer_as(staged, link, meeting.rooms[room], meeting.questions["Q1"], text, n)
    meeting.phase("report_back", countdown_s=0)

    q1 = _q1(meeting.call("GET", f"/api/meetings/{meeting.meeting_id}/plenary"))
    themes = q1["point_themes"]
    groups = {group["id"]: group for group in q1["groups"]}
    health = next(theme for theme in themes if len(theme["group_ids"]) == 2)
    housing = next(theme for theme in themes if theme["id"] != health["id"])
    rents = groups[housing["group_ids"][0]]
    assert "rents" in rents["label"].lower()

    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    page = organiser.page
    await page.get_by_test_id("tab-plenary").click()
    question = page.get_by_test_id("curation-question").filter(has_text="Q1")
    sections = question.get_by_test_id("curation-theme")
    await expect(sections).to_have_count(2)
    first = sections.nth(0)
    await expect(first.get_by_test_id("curation-theme-label")).to_have_text(health["label"])
    await expect(first.get_by_test_id("curation-theme-heading")).to_contain_text("raised in 2 of 2 rooms")
    await expect(first.get_by_test_id("curation-theme-heading")).to_contain_text("Room 1, Room 2")
    await expect(first.get_by_test_id("curation-group")).to_have_count(2)
    await assert_accessible(page, "curation by theme")
    await page.screenshot(path=artifacts / "curation-themes.png", full_page=True)

    # Move the point on rents into the health theme.
    point = question.get_by_test_id("curation-group").filter(has_text=rents["label"])
    await point.get_by_test_id("group-move").click()
    move = point.get_by_test_id("theme-move")
    await move.get_by_label(f"Theme for {rents['label']}").select_option(health["label"])
    await assert_accessible(page, "moving a point to another theme")
    await move.get_by_role("button", name="Move").click()

    await expect(sections).to_have_count(1)
    await expect(sections.nth(0).get_by_test_id("curation-group")).to_have_count(3)
    moved = sections.nth(0).get_by_test_id("curation-group").filter(has_text=rents["label"])
    await expect(moved).to_contain_text("Accepted")
    after = _q1(meeting.call("GET", f"/api/meetings/{meeting.meeting_id}/plenary"))
    assert [len(theme["group_ids"]) for theme in after["point_themes"]] == [3]
    await page.screenshot(path=artifacts / "curation-themes-after-move.png", full_page=True)
