"""A room's moderator turns on the grouping of similar answers to the live open question: the
phones show the groups (label, count, members) above the answers and follow new answers live,
and lose them when the moderator turns grouping off. The grouped views pass axe in English and
Bengali. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.accessibility import assert_accessible_in_each_language
from tests.browser.pages import Person, join_with_link, open_person
from tests.browser.small_meeting import small_meeting
from tests.browser.staging import StagedMeeting

OpenPerson = Callable[..., Awaitable[Person]]


@pytest.fixture
async def person(browser: Browser) -> AsyncIterator[OpenPerson]:
    opened: list[Person] = []

    async def open_one(name: str, *, phone: bool = False) -> Person:
        opened.append(await open_person(browser, name, phone=phone))
        return opened[-1]

    yield open_one
    for someone in opened:
        assert someone.csp_violations() == [], (someone.name, someone.csp_violations())
        await someone.context.close()


async def send(phone: Page, text: str) -> None:
    await phone.get_by_label("Your answer").fill(text)
    await phone.get_by_role("button", name="Send answer").click()
    await expect(phone.get_by_role("list", name="Answers", exact=True).get_by_text(text, exact=True)).to_be_visible()


async def test_the_moderator_groups_similar_answers_and_the_phones_follow(
    person: OpenPerson, staged: StagedMeeting, artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Grouped answers")
    moderator_link = meeting.person("Moderator Farida", "Room 1", role="moderator")
    links = [meeting.person(name, "Room 1") for name in ("Amina", "Bilal", "Chandra")]
    for phase in ("lobby", "plenary", "breakouts"):
        meeting.phase(phase)
    meeting.push("Q1", "Room 1")

    phones = []
    for number, link in enumerate(links):
        phone = await person(f"phone {number + 1}", phone=True)
        await join_with_link(phone, link)
        await expect(phone.page.get_by_test_id("live-question")).to_be_visible()
        phones.append(phone.page)
    for phone, text in zip(phones, ("Close the legal gap", "Close the legal gaps", "Train prosecutors"), strict=True):
        await send(phone, text)

    moderator = await person("moderator")
    await join_with_link(moderator, moderator_link)
    toggle = moderator.page.get_by_test_id("group-answers")
    await expect(toggle).to_have_attribute("aria-pressed", "false")
    for phone in phones:
        await expect(phone.get_by_test_id("answer-groups")).to_have_count(0)

    await toggle.click()

    await expect(toggle).to_have_attribute("aria-pressed", "true")
    for page in (*phones, moderator.page):
        group = page.get_by_test_id("answer-group")
        await expect(group).to_have_count(1)
        # Named by a phrase of its members' own words.
        await expect(group.get_by_test_id("group-label")).to_have_text(re.compile(r"^\s*Close the legal( gaps?)?\s*$"))
        await expect(group.get_by_test_id("group-count")).to_have_text("2 answers")
        await expect(page.get_by_test_id("groups-alone")).to_have_text("1 answer unlike the others")

    # A new answer joins its group on every phone, live.
    await send(phones[2], "close the legal gap!")
    for page in (*phones, moderator.page):
        await expect(page.get_by_test_id("group-count")).to_have_text("3 answers")
        await expect(page.get_by_test_id("groups-alone")).to_have_text("1 answer unlike the others")
    members = phones[0].get_by_test_id("answer-group")
    await members.get_by_text("Show the answers in this group").click()
    await expect(members.get_by_role("listitem")).to_have_text(
        ["Close the legal gap", "Close the legal gaps", "close the legal gap!"]
    )
    await phones[0].screenshot(path=artifacts / "answer-groups-phone.png", full_page=True)
    await moderator.page.screenshot(path=artifacts / "answer-groups-moderator.png", full_page=True)
    await assert_accessible_in_each_language(phones[0], "a phone showing grouped answers")
    await assert_accessible_in_each_language(moderator.page, "the moderator's room with grouped answers")

    await toggle.click()

    await expect(toggle).to_have_attribute("aria-pressed", "false")
    await expect(moderator.page.get_by_test_id("answer-groups")).to_have_count(0)
    for phone in phones:
        await expect(phone.get_by_test_id("answer-groups")).to_have_count(0)
        await expect(phone.get_by_role("list", name="Answers", exact=True).get_by_role("listitem")).to_have_count(4)
