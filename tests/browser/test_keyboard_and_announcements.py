"""What axe cannot check, checked on a phone: the focus order from the top of the page, a visible
focus ring, joining and answering with the keyboard alone, the live region that announces the
rooms opening and a new question, and the results chart read as a table of text.
docs/accessibility.md describes these checks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.pages import Person, open_person
from tests.browser.small_meeting import small_meeting
from tests.browser.staging import StagedMeeting

# The name a screen reader gives the focused element, short enough to compare.
FOCUSED_NAME = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return '';
  const label = element.labels && element.labels.length > 0 ? element.labels[0].textContent : null;
  const name = element.getAttribute('aria-label') || label || element.textContent || element.tagName;
  return name.trim().replace(/\\s+/g, ' ');
}"""
TAB_LIMIT = 40


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[Person]:
    person = await open_person(browser, "keyboard-only phone", phone=True)
    yield person
    assert person.csp_violations() == []
    await person.context.close()


async def is_focused(target: Locator) -> bool:
    focused: bool = await target.evaluate("element => element === document.activeElement")
    return focused


async def tab_to(page: Page, target: Locator) -> list[str]:
    """Press Tab until ``target`` has the focus; the names focused on the way, in order."""
    names = []
    for _ in range(TAB_LIMIT):
        await page.keyboard.press("Tab")
        names.append(await page.evaluate(FOCUSED_NAME))
        if await is_focused(target):
            return names
    raise AssertionError(f"Tab never reached {target}; focused: {names}")


async def test_a_phone_joins_and_answers_with_the_keyboard_and_hears_what_changes(
    phone: Person, staged: StagedMeeting
) -> None:
    meeting = small_meeting(staged, "Keyboard and announcements")
    link = meeting.person("Rina Akter", "Room 1")
    choice = meeting.call(
        "POST",
        f"/api/meetings/{meeting.meeting_id}/questions",
        {
            "code": "Q3",
            "text": "Should the protocol's definition enter national law?",
            "kind": "single_choice",
            "options": [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}],
        },
    )
    meeting.call("PUT", f"/api/questions/{choice['id']}/allocations", {"room_ids": [meeting.rooms["Room 1"]]})
    meeting.questions["Q3"] = str(choice["id"])
    meeting.phase("lobby")
    page = phone.page
    await page.goto(link)
    join = page.get_by_role("button", name="Join")
    await expect(join).to_be_visible()

    # The focus order from the top: the skip link, the language switch, then the page's own controls.
    order = await tab_to(page, join)
    assert order[:3] == [
        "Skip to content",
        "Switch the interface language to English",
        "Switch the interface language to বাংলা",
    ]
    assert order[3:] == [
        "Your name (optional)",
        "Email (optional)",
        "Organisation (optional)",
        "Type of organisation (optional)",
        "Female",  # the gender radios are one stop; arrow keys move within them
        "Join",
    ], order
    ring = await join.evaluate(
        "element => getComputedStyle(element).outlineStyle + ' ' + getComputedStyle(element).outlineWidth"
    )
    assert ring == "solid 3px", ring  # the focus ring shows where the keyboard is
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/meeting/**")

    # One polite live region, there from the first render, speaks what changes.
    announcer = page.get_by_test_id("announcer")
    await expect(announcer).to_have_attribute("aria-live", "polite")
    await expect(announcer).to_have_attribute("role", "status")
    meeting.phase("plenary")
    meeting.phase("breakouts")
    await expect(announcer).to_have_text("The breakout rooms are open. You are now in your room.")
    meeting.push("Q1", "Room 1")
    await expect(announcer).to_have_text("New question: Which gaps in national law matter most?")

    field = page.get_by_label("Your answer")
    await tab_to(page, field)
    await page.keyboard.type("Define smuggling as the protocol does")
    await tab_to(page, page.get_by_role("button", name="Send answer"))
    await page.keyboard.press("Enter")
    answers = page.get_by_role("list", name="Answers", exact=True)
    await expect(answers.get_by_text("Define smuggling as the protocol does")).to_be_visible()
    assert await page.evaluate(FOCUSED_NAME) != "", "the focus was lost after sending"

    meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['Q1']}/close")
    meeting.push("Q3", "Room 1")
    await expect(announcer).to_have_text("New question: Should the protocol's definition enter national law?")
    yes = page.get_by_role("radio", name="Yes")
    await tab_to(page, yes)
    await page.keyboard.press("Space")
    await expect(yes).to_be_checked()
    await tab_to(page, page.get_by_role("button", name="Send answer"))
    await page.keyboard.press("Enter")

    # The chart is a table: each option's count and share read as text, the bar only repeats it.
    results = page.get_by_role("figure", name="Results")
    rows = results.get_by_role("table").get_by_role("row")
    await expect(rows).to_have_count(3)
    await expect(rows.nth(1)).to_have_text("Yes1100%")
    await expect(rows.nth(2)).to_have_text("No00%")
    await expect(results.get_by_test_id("results-respondents")).to_have_text("1 person answered")
