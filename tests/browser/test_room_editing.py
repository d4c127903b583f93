"""Preparation from the console: a room is edited and deleted after a confirmation; the people
who were in it are then in no room (the documented choice), the rest of the rooms stay.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.async_api import Browser, expect

from tests.browser.pages import Person, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to, organiser_call, push_first_question


async def test_a_room_is_edited_then_deleted_after_confirmation_and_its_people_have_no_room(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "plenary")
    name = f"Spare room {uuid.uuid4().hex[:4]}"
    room = organiser_call(staged, "POST", f"/api/meetings/{staged.meeting_id}/rooms", {"name": name})
    assert isinstance(room, dict)
    guest = organiser_call(
        staged,
        "POST",
        f"/api/meetings/{staged.meeting_id}/participants",
        {"display_name": f"Guest {name}", "room_id": room["id"]},
    )
    assert isinstance(guest, dict)
    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    console = organiser.page
    await console.get_by_test_id("tab-prepare").click()

    await console.get_by_role("button", name=f"Edit {name}", exact=True).click()
    form = console.get_by_role("form", name=f"Edit {name}", exact=True)
    await expect(form.get_by_role("button", name="Save the room")).to_be_enabled()
    await form.get_by_label("Theme").fill("Overflow")
    await form.get_by_role("button", name="Save the room").click()
    rooms = console.get_by_role("region", name="Rooms", exact=True)
    await expect(rooms.get_by_role("listitem").filter(has_text=name)).to_contain_text("Overflow")

    renamed = f"{name} B"
    await console.get_by_role("button", name=f"Edit {name}", exact=True).click()
    await form.get_by_label("Name").fill(renamed)
    await form.get_by_role("button", name="Save the room").click()
    await expect(console.get_by_role("button", name=f"Edit {renamed}", exact=True)).to_be_visible()

    await console.get_by_role("button", name=f"Edit {renamed}", exact=True).click()
    form = console.get_by_role("form", name=f"Edit {renamed}", exact=True)
    await form.get_by_role("button", name=f"Delete {renamed}").click()
    dialog = console.get_by_test_id("delete-room-dialog")
    await expect(dialog).to_contain_text("will have no room")
    await console.screenshot(path=artifacts / "room-delete-confirm.png", full_page=True)
    await dialog.get_by_role("button", name=f"Delete {renamed}").click()
    await expect(console.get_by_role("button", name=f"Edit {renamed}", exact=True)).to_have_count(0)
    await expect(console.get_by_role("button", name="Edit Room 1", exact=True)).to_be_visible()
    entry = organiser_call(staged, "GET", f"/api/participants/{guest['id']}")
    assert isinstance(entry, dict) and entry["room_id"] is None
    await console.screenshot(path=artifacts / "room-deleted.png", full_page=True)
    assert organiser.console_errors == []


async def test_a_question_is_deleted_after_confirmation_and_a_live_one_is_refused_with_the_reason(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    code = f"X{uuid.uuid4().hex[:4]}"
    organiser_call(
        staged, "POST", f"/api/meetings/{staged.meeting_id}/questions", {"code": code, "text": "Spare question?"}
    )
    live_text = push_first_question(staged, "Room 1")
    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    console = organiser.page
    await console.get_by_test_id("tab-prepare").click()
    questions = console.get_by_role("region", name="Questions and their rooms", exact=True)

    await questions.get_by_role("button", name=f"Delete {code}", exact=True).click()
    dialog = console.get_by_test_id("delete-question-dialog")
    await expect(dialog).to_contain_text("cannot be deleted")
    await dialog.get_by_role("button", name=f"Delete {code}").click()
    await expect(questions.get_by_role("button", name=f"Delete {code}", exact=True)).to_have_count(0)

    live = questions.get_by_role("listitem").filter(has_text=live_text)
    await live.get_by_role("button", name=re.compile(r"^Delete ")).click()
    await dialog.get_by_role("button", name=re.compile(r"^Delete ")).click()
    await expect(questions.get_by_role("alert")).to_contain_text(re.compile(r"close it first|has answers"))
    await expect(live).to_be_visible()
    await console.screenshot(path=artifacts / "question-delete-refused.png", full_page=True)
    refused = [error for error in organiser.console_errors if "409" in error]
    assert len(refused) == 1 and organiser.console_errors == refused, organiser.console_errors
