"""Phases end cleanly and irreversible steps are confirmed, seen in real browsers: the organiser's
console (1366x900) and participants' phones (360x740), each a browser context of its own.

Each test runs a small meeting of its own (closing a meeting cannot be undone). Countdowns are
configured short (a few seconds) instead of being waited out; every wait is on what a person sees.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.small_meeting import SmallMeeting, small_meeting
from tests.browser.staging import StagedMeeting

PHONE_VIEWPORT = {"width": 360, "height": 740}
HALF_WRITTEN = "Smuggling should be an offence of its own, because"


class Cast:
    def __init__(self, browser: Browser, staged: StagedMeeting, people: list[Person], meeting: SmallMeeting) -> None:
        self.browser, self.staged, self.people, self.meeting = browser, staged, people, meeting

    async def console(self) -> Page:
        organiser = await open_person(self.browser, "organiser")
        self.people.append(organiser)
        await sign_in_organiser(organiser, self.staged.organiser_link(), self.meeting.meeting_id)
        return organiser.page

    async def phone(self, name: str, room: str, role: str = "participant") -> Page:
        person = await open_person(self.browser, name, phone=role == "participant")
        self.people.append(person)
        if role == "participant":
            await person.page.set_viewport_size(PHONE_VIEWPORT)
        await join_with_link(person, self.meeting.person(name, room, role))
        return person.page


def phase_step(console: Page) -> object:
    return console.locator("li[aria-current='step']")


async def test_closing_rooms_the_meeting_and_a_link_are_confirmed_and_typed_text_is_kept(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Confirmations")
    meeting.phase("lobby")
    meeting.phase("plenary")
    cast = Cast(browser, staged, people, meeting)
    console = await cast.console()
    amina = await cast.phone("Amina", "Room 1")
    bilal = await cast.phone("Bilal", "Room 2")
    await expect(amina.get_by_text("Now: Plenary")).to_be_visible()

    await console.get_by_test_id("phase-breakouts").click()
    await expect(amina.get_by_test_id("room-name")).to_have_text("Room 1")
    meeting.push("Q1", "Room 1")
    await amina.get_by_label("Your answer").fill(HALF_WRITTEN)

    meeting.person("Dina", "Room 2")  # placed, and never opens her link

    # One click on "Start report-back" asks first, says what will happen, and Escape cancels. It
    # counts the people placed in rooms and, apart, those online now (who will see a countdown).
    await console.get_by_test_id("phase-report_back").click()
    dialog = console.get_by_test_id("close-rooms-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("Rooms open: 2 · people placed in rooms: 3, online now: 2")
    await expect(dialog.get_by_test_id("close-rooms-headcount")).to_have_text("Online now: 2 of 3 placed")
    await expect(dialog).to_contain_text("Everyone returns to Report-back")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await console.screenshot(path=artifacts / "console-confirm-close-rooms.png")
    await console.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(console.get_by_test_id("phase-report_back")).to_be_focused()
    await expect(phase_step(console)).to_have_text("Breakout rooms")
    await expect(amina.get_by_label("Your answer")).to_have_value(HALF_WRITTEN)

    # What someone typed survives their page going away (a reload here; a closed room alike).
    await amina.reload()
    await expect(amina.get_by_label("Your answer")).to_have_value(HALF_WRITTEN)
    await expect(amina.get_by_test_id("draft-kept")).to_be_visible()

    # Confirmed with a countdown: the phones count down and there is time to send.
    await console.get_by_test_id("phase-report_back").click()
    await dialog.get_by_test_id("close-countdown-length").select_option("600")
    await dialog.get_by_role("button", name="Start the countdown").click()
    for phone in (amina, bilal):
        await expect(phone.get_by_test_id("countdowns")).to_contain_text("Rooms close in")
    await amina.get_by_role("button", name="Send answer").click()
    await expect(amina.get_by_test_id("answer").filter(has_text=HALF_WRITTEN)).to_be_visible()
    await amina.screenshot(path=artifacts / "phone-rooms-closing.png")

    # Closing at once during the countdown is confirmed the same way.
    await console.get_by_test_id("phase-report_back").click()
    await dialog.get_by_label("Close at once").check()
    await dialog.get_by_role("button", name="Close the rooms now").click()
    await expect(amina.get_by_text("Now: Report-back")).to_be_visible()

    # Closing the meeting: cancel keeps it open, confirm closes it for everyone.
    close_meeting = console.get_by_test_id("close-meeting-dialog")
    await console.get_by_test_id("phase-closed").click()
    await expect(close_meeting).to_contain_text("cannot be opened again")
    await close_meeting.get_by_role("button", name="Cancel").click()
    await expect(phase_step(console)).to_have_text("Report-back")
    await console.get_by_test_id("phase-closed").click()
    await close_meeting.get_by_role("button", name="Close the meeting").click()
    await expect(phase_step(console)).to_have_text("Closed")
    await expect(bilal.get_by_text("Now: Closed")).to_be_visible()

    # Revoking a link asks first too.
    await console.get_by_test_id("tab-prepare").click()
    revoke_buttons = console.get_by_role("button", name="Revoke", exact=True)
    await expect(revoke_buttons.first).to_be_visible()  # the tab loads its links after it opens
    before = await revoke_buttons.count()
    assert before > 0
    await revoke_buttons.first.click()
    revoke = console.get_by_test_id("revoke-dialog")
    await expect(revoke).to_contain_text("Nobody can join with it any more")
    await console.keyboard.press("Escape")
    await expect(revoke_buttons).to_have_count(before)
    await revoke_buttons.first.click()
    await revoke.get_by_role("button", name="Revoke the link").click()
    await expect(revoke_buttons).to_have_count(before - 1)


async def test_a_phase_leaves_no_live_question_timer_or_banner_behind(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Clean endings")
    meeting.phase("lobby")
    meeting.phase("plenary")
    cast = Cast(browser, staged, people, meeting)
    console = await cast.console()
    moderator = await cast.phone("Moderator One", "Room 1", role="moderator")
    amina = await cast.phone("Amina", "Room 1")
    await expect(amina.get_by_text("Now: Plenary")).to_be_visible()
    current_item = console.get_by_label("Agenda item shown to everyone")
    await expect(current_item).to_have_value(meeting.agenda["Welcome"])  # the agenda follows the phase

    await console.get_by_test_id("phase-breakouts").click()
    await expect(amina.get_by_test_id("room-name")).to_have_text("Room 1")
    await expect(current_item).to_have_value(meeting.agenda["Round 1"])
    meeting.push("Q1", "Room 1")
    meeting.timer(900, room="Room 1", label="Discussion")
    meeting.timer(1800, label="Session")
    meeting.broadcast("Round 1: ten minutes left")
    await expect(amina.get_by_test_id("live-question")).to_contain_text("Which gaps")
    await expect(amina.get_by_test_id("broadcast")).to_contain_text("Round 1: ten minutes left")
    await expect(amina.get_by_text("Discussion")).to_be_visible()
    live_on_moderator = moderator.get_by_test_id("room-question").filter(has_text="Live")
    await expect(live_on_moderator).to_have_count(1)

    await console.get_by_test_id("phase-report_back").click()
    await console.get_by_test_id("close-rooms-dialog").get_by_label("Close at once").check()
    await console.get_by_role("button", name="Close the rooms now").click()

    await expect(amina.get_by_text("Now: Report-back")).to_be_visible()
    await expect(live_on_moderator).to_have_count(0)
    await expect(moderator.get_by_test_id("room-question").filter(has_text="Closed")).to_have_count(1)
    await expect(console.get_by_test_id("room-card").first).to_contain_text("No live question")
    await expect(amina.get_by_test_id("broadcast")).to_have_count(0)
    await expect(amina.get_by_text("Discussion")).to_have_count(0)
    await expect(amina.get_by_text("Session")).to_be_visible()  # the meeting's own timer runs on
    await expect(current_item).to_have_value(meeting.agenda["Report-back"])

    # Round 2: round 1's banner stays gone after a reload too (the server ended it).
    await console.get_by_test_id("phase-breakouts").click()
    await expect(amina.get_by_test_id("room-name")).to_have_text("Room 1")
    await amina.reload()
    await expect(amina.get_by_test_id("room-name")).to_have_text("Room 1")
    await expect(amina.get_by_test_id("broadcast")).to_have_count(0)

    await console.get_by_test_id("phase-report_back").click()
    await console.get_by_test_id("close-rooms-dialog").get_by_label("Close at once").check()
    await console.get_by_role("button", name="Close the rooms now").click()
    await console.get_by_test_id("phase-closed").click()
    await console.get_by_test_id("close-meeting-dialog").get_by_role("button", name="Close the meeting").click()

    await expect(amina.get_by_text("Now: Closed")).to_be_visible()
    await expect(amina.get_by_test_id("countdowns")).to_have_count(0)
    await expect(console.get_by_role("heading", name="Meeting timer")).to_have_count(0)
    await expect(moderator.get_by_role("heading", name="Room timer")).to_have_count(0)
    await amina.screenshot(path=artifacts / "phone-meeting-closed.png")
    await console.screenshot(path=artifacts / "console-meeting-closed.png")


async def test_a_planned_duration_closes_the_rooms_by_itself(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Planned duration")
    meeting.phase("lobby")
    meeting.phase("plenary")
    cast = Cast(browser, staged, people, meeting)
    console = await cast.console()
    amina = await cast.phone("Amina", "Room 2")
    await expect(amina.get_by_text("Now: Plenary")).to_be_visible()

    # Short configured durations: two seconds in the rooms, then a three-second countdown.
    meeting.phase("breakouts", duration_s=2, countdown_s=3)

    await expect(amina.get_by_test_id("room-name")).to_have_text("Room 2")
    await expect(amina.get_by_test_id("countdowns")).to_contain_text("Rooms close in")
    await expect(amina.get_by_text("Now: Report-back")).to_be_visible()
    await expect(amina.get_by_test_id("countdowns")).to_have_count(0)
    await expect(phase_step(console)).to_have_text("Report-back")
    await amina.screenshot(path=artifacts / "phone-rooms-closed-by-plan.png")


async def test_the_organiser_plans_extends_and_cancels_and_every_phone_follows(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Cancel and extend")
    meeting.phase("lobby")
    meeting.phase("plenary")
    cast = Cast(browser, staged, people, meeting)
    console = await cast.console()
    amina = await cast.phone("Amina", "Room 1")
    bilal = await cast.phone("Bilal", "Room 2")
    await expect(amina.get_by_text("Now: Plenary")).to_be_visible()

    await console.get_by_test_id("planned-minutes").fill("1")
    await console.get_by_test_id("plan-countdown").select_option("30")
    await console.get_by_test_id("phase-breakouts").click()
    for phone in (amina, bilal):
        await expect(phone.get_by_test_id("countdowns")).to_contain_text("Time left in the rooms")
        await expect(phone.get_by_test_id("countdowns")).to_contain_text(re.compile(r"\b[01]:\d\d\b"))

    await console.get_by_test_id("countdown-extend").click()
    for phone in (amina, bilal):
        await expect(phone.get_by_test_id("countdowns")).to_contain_text(re.compile(r"\b1:[45]\d\b"))
    await console.get_by_test_id("countdown-cancel").click()
    for phone in (amina, bilal):
        await expect(phone.get_by_test_id("countdowns")).to_have_count(0)

    # A countdown of the organiser's length, extended, then cancelled: the rooms stay open.
    await console.get_by_test_id("phase-report_back").click()
    dialog = console.get_by_test_id("close-rooms-dialog")
    await dialog.get_by_test_id("close-countdown-length").select_option("30")
    await dialog.get_by_role("button", name="Start the countdown").click()
    await expect(amina.get_by_test_id("countdowns")).to_contain_text(re.compile(r"Rooms close in.*0:[0-3]\d"))
    await console.get_by_test_id("countdown-extend").click()
    await expect(amina.get_by_test_id("countdowns")).to_contain_text(re.compile(r"1:[0-3]\d"))

    # The countdown stays in view while the phone scrolls through the room's answers.
    meeting.push("Q1", "Room 1")
    for number in range(1, 9):
        await amina.get_by_label("Your answer").fill(f"Answer number {number}: {HALF_WRITTEN} more training")
        await amina.get_by_role("button", name="Send answer").click()
        await expect(amina.get_by_test_id("answer").filter(has_text=f"Answer number {number}:")).to_be_visible()
    await amina.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert await amina.evaluate("window.scrollY") > 200
    countdown = amina.get_by_test_id("countdowns")
    box = await countdown.bounding_box()
    assert box is not None and 0 <= box["y"] <= 1
    await amina.screenshot(path=artifacts / "phone-countdown-extended.png")
    await console.screenshot(path=artifacts / "console-countdown-running.png")

    await console.get_by_test_id("countdown-cancel").click()
    for phone in (amina, bilal):
        await expect(phone.get_by_test_id("countdowns")).to_have_count(0)
        await expect(phone.get_by_text("Now: Breakout rooms")).to_be_visible()
    await expect(console.get_by_test_id("breakouts-timing")).to_have_count(0)
