"""A room's moderator steers their own room, seen in real browsers: they reorder the questions
still to come and finish the room before the others (its phones say it is done and wait for the
plenary), then open it again. Other rooms go on meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.small_meeting import small_meeting
from tests.browser.staging import StagedMeeting


async def test_a_moderator_reorders_the_queue_and_finishes_their_room_early(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Moderator controls")
    for phase in ("lobby", "plenary", "breakouts"):
        meeting.phase(phase)
    maya = await open_person(browser, "Room 1 moderator", phone=True)
    amina = await open_person(browser, "Amina", phone=True)
    bilal = await open_person(browser, "Bilal", phone=True)
    organiser = await open_person(browser, "organiser")
    people.extend([maya, amina, bilal, organiser])
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    await join_with_link(maya, meeting.person("Maya", "Room 1", "moderator"))
    await join_with_link(amina, meeting.person("Amina", "Room 1"))
    await join_with_link(bilal, meeting.person("Bilal", "Room 2"))
    await expect(maya.page.get_by_test_id("moderator-room")).to_have_text("Room 1")
    questions = maya.page.get_by_test_id("room-question")
    await expect(questions).to_have_count(2)
    await expect(questions.first).to_contain_text("Q1")

    # Q2 first: the arrows move a question still to come; the first cannot go higher.
    await expect(maya.page.get_by_role("button", name="Move Q1 up")).to_be_disabled()
    await maya.page.get_by_role("button", name="Move Q2 up").click()
    await expect(questions.first).to_contain_text("Q2")
    await expect(questions.nth(1)).to_contain_text("Q1")
    await questions.first.get_by_role("button", name="Ask the room").click()
    await expect(amina.page.get_by_test_id("live-question")).to_have_text("What should change first?")

    # Finished early: asked first, then the live question closes and the phone says the room is done.
    await maya.page.get_by_test_id("finish-room").click()
    dialog = maya.page.get_by_test_id("finish-room-dialog")
    await expect(dialog).to_contain_text("the other rooms go on")
    await dialog.get_by_role("button", name="Finish our room now").click()
    await expect(maya.page.get_by_test_id("room-finished-status")).to_contain_text("Your room is finished")
    await expect(amina.page.get_by_test_id("room-finished")).to_contain_text("Your room has finished")
    await expect(amina.page.get_by_test_id("live-question")).to_have_count(0)
    card = organiser.page.get_by_test_id("room-card").filter(has_text="Room 1")
    await expect(card.get_by_test_id("room-finished-mark")).to_have_text("Finished early: waiting for the plenary")
    await expect(questions.nth(1).get_by_role("button", name="Ask the room")).to_be_disabled()
    await amina.page.screenshot(path=artifacts / "room-finished-phone.png", full_page=True)
    await maya.page.screenshot(path=artifacts / "room-finished-moderator.png", full_page=True)
    # Room 2 goes on.
    meeting.push("Q1", "Room 2")
    await expect(bilal.page.get_by_test_id("live-question")).to_have_text("Which gaps in national law matter most?")

    await maya.page.get_by_test_id("reopen-room").click()
    await expect(amina.page.get_by_test_id("room-finished")).to_have_count(0)
    await expect(card.get_by_test_id("room-finished-mark")).to_have_count(0)
    await questions.nth(1).get_by_role("button", name="Ask the room").click()
    await expect(amina.page.get_by_test_id("live-question")).to_have_text("Which gaps in national law matter most?")
