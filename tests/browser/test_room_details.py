"""Small things people notice in a room, seen in real browsers: the answers count on the phones
agrees with the list after a hide and a merge, the moderator's "Show answers to" picker names the
questions and switches the list, and the moderator's room works with the keyboard alone.

Each test runs a small meeting of its own; phones are 360x740, the moderator's screen 1366x900.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.small_meeting import SmallMeeting, small_meeting
from tests.browser.staging import StagedMeeting

# Enough Tab presses to cross the moderator's room from top to bottom several times over.
MAX_TABS = 60


async def join(browser: Browser, people: list[Person], meeting: SmallMeeting, name: str, role: str) -> Page:
    person = await open_person(browser, name, phone=role == "participant")
    people.append(person)
    await join_with_link(person, meeting.person(name, "Room 1", role))
    return person.page


async def in_breakouts(staged: StagedMeeting, title: str) -> SmallMeeting:
    meeting = small_meeting(staged, title)
    meeting.phase("lobby")
    meeting.phase("plenary")
    meeting.phase("breakouts")
    return meeting


async def send_answer(phone: Page, text: str) -> None:
    await phone.get_by_label("Your answer").fill(text)
    await phone.get_by_role("button", name="Send answer").click()
    await expect(phone.get_by_test_id("answer").filter(has_text=text)).to_be_visible()


def moderated(moderator: Page, text: str) -> Locator:
    return moderator.get_by_test_id("moderated-answer").filter(has_text=text)


async def test_the_answers_count_on_the_phone_agrees_with_the_list_after_a_hide_and_a_merge(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = await in_breakouts(staged, "Answers count")
    moderator = await join(browser, people, meeting, "Mira Moderator", "moderator")
    amina = await join(browser, people, meeting, "Amina", "participant")
    meeting.push("Q1", "Room 1")
    answers = ["Border checks", "Witness protection", "Victim support", "Victim support services", "Off topic"]
    for text in answers:
        await send_answer(amina, text)
    await expect(amina.get_by_test_id("answer")).to_have_count(5)
    await expect(amina.get_by_test_id("answers-count")).to_have_text("(5 shown)")

    await moderated(moderator, "Off topic").get_by_role("button", name="Hide").click()
    await moderated(moderator, "Victim support services").get_by_role("checkbox").check()
    await moderated(moderator, "Victim support").first.get_by_role("checkbox").check()
    await moderator.get_by_role("button", name="Merge selected").click()

    # One hidden, two merged into one: three listed, and the count says three, and what it counts.
    await expect(amina.get_by_test_id("answer")).to_have_count(3)
    await expect(amina.get_by_test_id("answers-count")).to_have_text("(3 shown)")
    await expect(amina.get_by_text("Off topic")).to_have_count(0)
    await amina.screenshot(path=artifacts / "phone-answers-count-after-merge.png", full_page=True)
    # The moderator's question list counts every answer received, hidden and merged ones too.
    await expect(moderator.get_by_test_id("room-question").filter(has_text="Q1")).to_contain_text("5 answers so far")


async def test_show_answers_to_names_the_asked_questions_and_switches_the_list(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = await in_breakouts(staged, "Show answers to")
    moderator = await join(browser, people, meeting, "Mira Moderator", "moderator")
    amina = await join(browser, people, meeting, "Amina", "participant")
    meeting.push("Q1", "Room 1")
    await send_answer(amina, "An answer to the first question")
    await moderator.get_by_role("button", name="Close question").click()
    second = moderator.get_by_test_id("room-question").filter(has_text="Q2")
    await second.get_by_role("button", name="Ask the room").click()
    await send_answer(amina, "An answer to the second question")

    picker = moderator.get_by_label("Show answers to")
    await expect(picker).to_be_visible()
    # Both asked questions are offered, and the one whose answers are listed (the live one) is shown.
    await expect(picker.locator("option")).to_have_text(
        ["Q1 · Which gaps in national law matter most?", "Q2 · What should change first?"]
    )
    await expect(picker).to_have_value(meeting.questions["Q2"])
    await expect(moderator.get_by_role("heading", name="Answers to Q2")).to_be_visible()
    await expect(moderator.get_by_test_id("moderated-answer")).to_have_count(1)
    await expect(moderator.get_by_test_id("moderated-answer")).to_contain_text("An answer to the second question")
    await moderator.screenshot(path=artifacts / "console-show-answers-to.png")

    await picker.select_option(meeting.questions["Q1"])
    await expect(moderator.get_by_role("heading", name="Answers to Q1")).to_be_visible()
    await expect(picker).to_have_value(meeting.questions["Q1"])
    await expect(moderator.get_by_test_id("moderated-answer")).to_have_count(1)
    await expect(moderator.get_by_test_id("moderated-answer")).to_contain_text("An answer to the first question")


async def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus, and check that the focus is visible there."""
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            outline = await target.evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline != "none", "the focused control shows no focus ring"
            return
    raise AssertionError(f"Tab never reached {target}")


async def test_a_moderator_runs_the_room_with_the_keyboard_alone(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = await in_breakouts(staged, "Keyboard only")
    moderator = await join(browser, people, meeting, "Mira Moderator", "moderator")
    amina = await join(browser, people, meeting, "Amina", "participant")
    await expect(moderator.get_by_test_id("moderator-room")).to_have_text("Room 1")

    # Ask the room the first question: Tab to its button, Enter.
    ask = moderator.get_by_test_id("room-question").filter(has_text="Q1").get_by_role("button", name="Ask the room")
    await tab_to(moderator, ask)
    await moderator.keyboard.press("Enter")
    await expect(amina.get_by_test_id("live-question")).to_have_text("Which gaps in national law matter most?")
    for text in ("Border checks", "Border controls", "Off topic"):
        await send_answer(amina, text)

    # Tick two answers with Space, merge them with Enter, hide the third with Space on its button.
    await moderator.locator("body").focus()
    await tab_to(moderator, moderated(moderator, "Border checks").get_by_role("checkbox"))
    await moderator.keyboard.press("Space")
    await tab_to(moderator, moderated(moderator, "Border controls").get_by_role("checkbox"))
    await moderator.keyboard.press("Space")
    await expect(moderator.get_by_text("Selected: 2")).to_be_visible()
    await moderator.locator("body").focus()
    await tab_to(moderator, moderator.get_by_role("button", name="Merge selected"))
    await moderator.screenshot(path=artifacts / "console-moderator-keyboard-focus.png")
    await moderator.keyboard.press("Enter")
    await expect(amina.get_by_test_id("answer")).to_have_count(2)
    await tab_to(moderator, moderated(moderator, "Off topic").get_by_role("button", name="Hide"))
    await moderator.keyboard.press("Space")
    await expect(amina.get_by_test_id("answer")).to_have_count(1)
    await expect(amina.get_by_test_id("answers-count")).to_have_text("(1 shown)")

    # Close the question from the keyboard too.
    await tab_to(moderator, moderator.get_by_role("button", name="Close question"))
    await moderator.keyboard.press("Enter")
    await expect(amina.get_by_test_id("live-question")).to_have_count(0)


async def test_the_organiser_fills_a_room_and_opens_it_with_the_keyboard_alone(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = await in_breakouts(staged, "Keyboard board")
    entry = meeting.call("POST", f"/api/meetings/{meeting.meeting_id}/participants", {"display_name": "Nadia"})
    invite = meeting.call(
        "POST", f"/api/meetings/{meeting.meeting_id}/invites", {"role": "participant", "participant_id": entry["id"]}
    )
    nadia = await open_person(browser, "Nadia", phone=True)
    people.append(nadia)
    await join_with_link(nadia, str(invite["url"]))
    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    console = organiser.page
    await console.locator("body").focus()

    await tab_to(console, console.get_by_test_id("tab-people"))
    await console.keyboard.press("Enter")
    await expect(console.get_by_test_id("unassigned-count")).to_contain_text("Online without a room: 1")
    await tab_to(console, console.get_by_role("button", name="Select everyone without a room"))
    await console.keyboard.press("Enter")
    picker = console.get_by_label("Move the selected people to")
    await tab_to(console, picker)
    await console.keyboard.press("ArrowDown")
    await console.keyboard.press("ArrowDown")
    await expect(picker).to_have_value(meeting.rooms["Room 2"])
    await tab_to(console, console.get_by_role("button", name="Move", exact=True))
    await console.screenshot(path=artifacts / "console-board-keyboard-focus.png")
    await console.keyboard.press("Enter")
    await expect(nadia.page.get_by_test_id("room-name")).to_have_text("Room 2")
    await expect(console.get_by_test_id("unassigned-count")).to_contain_text("Online without a room: 0")

    await console.locator("body").focus()
    await tab_to(console, console.get_by_test_id("tab-live"))
    await console.keyboard.press("Enter")
    await tab_to(console, console.get_by_role("button", name="Open Room 2"))
    await console.keyboard.press("Space")
    await expect(console.get_by_test_id("moderator-room")).to_have_text("Room 2")
