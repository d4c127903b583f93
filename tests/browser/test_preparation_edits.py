"""Preparation from the console: a question and an agenda item are edited in place; a change the
server refuses (the kind of a question that has answers) and deleting a question or a room that
carries answers are refused with the server's reason, shown in the console, nothing lost.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
from playwright.async_api import Browser, expect

from tests.browser.pages import Person, open_person, sign_in_organiser
from tests.browser.small_meeting import SmallMeeting, small_meeting
from tests.browser.staging import StagedMeeting


def answer_as(meeting: SmallMeeting, invite_url: str, question: str, room: str, text: str) -> None:
    """A participant opens their invite over the API and answers, as a phone would."""
    base = meeting.staged.base_url
    token = invite_url.rsplit("/", 1)[1]
    opened = httpx.post(f"{base}/api/invites/{token}/open", json={"session_delivery": "token"}, timeout=10)
    opened.raise_for_status()
    answered = httpx.post(
        f"{base}/api/rooms/{meeting.rooms[room]}/questions/{meeting.questions[question]}/answers",
        json={"client_id": uuid.uuid4().hex, "text": text},
        headers={"authorization": f"Bearer {opened.json()['token']}"},
        timeout=10,
    )
    answered.raise_for_status()


async def test_questions_and_agenda_items_are_edited_and_refusals_show_the_reason(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, f"Preparation edits {uuid.uuid4().hex[:4]}")
    amina = meeting.person("Amina Edits", "Room 1")
    for phase in ("lobby", "plenary", "breakouts"):
        meeting.phase(phase)
    meeting.push("Q1", "Room 1")
    answer_as(meeting, amina, "Q1", "Room 1", "Close the loopholes in the penal code.")

    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    console = organiser.page
    await console.get_by_test_id("tab-prepare").click()
    questions = console.get_by_role("region", name="Questions and their rooms", exact=True)

    # Q2 has no answers: reworded and made a choice question.
    await questions.get_by_role("button", name="Edit Q2", exact=True).click()
    form = questions.get_by_role("form", name="Edit Q2", exact=True)
    await form.get_by_label("Question", exact=True).fill("Which change comes first?")
    await form.get_by_label("Kind").select_option(label="Single choice")
    await form.get_by_label("Options, one per line").fill("Laws\nTraining\nFunding")
    await console.screenshot(path=artifacts / "question-edit-form.png", full_page=True)
    await form.get_by_role("button", name="Save the question").click()
    await expect(form).to_have_count(0)
    edited = questions.get_by_role("listitem").filter(has_text="Which change comes first?")
    await expect(edited).to_contain_text("Single choice")

    # Q1 has an answer: its kind stays, and the console says why.
    await questions.get_by_role("button", name="Edit Q1", exact=True).click()
    form = questions.get_by_role("form", name="Edit Q1", exact=True)
    await form.get_by_label("Kind").select_option(label="Scale")
    await form.get_by_role("button", name="Save the question").click()
    await expect(form.get_by_role("alert")).to_contain_text("has answers")
    await console.screenshot(path=artifacts / "question-edit-refused.png", full_page=True)
    await form.get_by_role("button", name="Cancel").click()
    # Deleting it is refused with the reason too (it is live and has answers).
    answered = questions.get_by_role("listitem").filter(has_text="Which gaps in national law matter most?")
    await answered.get_by_role("button", name="Delete Q1", exact=True).click()
    await console.get_by_test_id("delete-question-dialog").get_by_role("button", name="Delete Q1").click()
    await expect(questions.get_by_role("alert")).to_contain_text(re.compile(r"close it first|has answers"))
    await expect(answered).to_contain_text("Open text")

    # A room where answers were given is kept, with the reason.
    await console.get_by_role("button", name="Edit Room 1", exact=True).click()
    room_form = console.get_by_role("form", name="Edit Room 1", exact=True)
    await expect(room_form.get_by_role("button", name="Save the room")).to_be_enabled()
    await room_form.get_by_role("button", name="Delete Room 1").click()
    await console.get_by_test_id("delete-room-dialog").get_by_role("button", name="Delete Room 1").click()
    await expect(room_form.get_by_role("alert")).to_contain_text("answers")
    await console.screenshot(path=artifacts / "room-delete-refused.png", full_page=True)
    await room_form.get_by_role("button", name="Cancel").click()
    await expect(console.get_by_role("button", name="Edit Room 1", exact=True)).to_be_visible()

    # An agenda item: renamed, another speaker and length, live in the list.
    agenda = console.get_by_role("region", name="Agenda", exact=True)
    await agenda.get_by_role("button", name="Edit “Round 1”").click()
    item_form = agenda.get_by_role("form", name="Edit “Round 1”")
    await item_form.get_by_label("Title").fill("Round 1: the rooms")
    await item_form.get_by_label("Speaker").fill("Room moderators")
    await item_form.get_by_label("Planned minutes").fill("40")
    await item_form.get_by_role("button", name="Save the item").click()
    await expect(item_form).to_have_count(0)
    item = agenda.get_by_role("listitem").filter(has_text="Round 1: the rooms")
    await expect(item).to_contain_text("40 min")
    await expect(item).to_contain_text("Room moderators")
    await console.screenshot(path=artifacts / "agenda-item-edited.png", full_page=True)

    refused = [error for error in organiser.console_errors if "409" in error]
    assert len(refused) == 3 and organiser.console_errors == refused, organiser.console_errors
