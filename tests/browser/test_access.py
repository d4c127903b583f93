"""Reaching the right page in the right role, from a browser that holds no session (a new device).

The organiser finds the sign-in from the start page; an invite link says what it is for before it
is opened; a phone already signed in asks before it changes person; someone who opens a page that
is not theirs is told so and shown the way back. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.pages import Person, open_person
from tests.browser.staging import StagedMeeting, bring_to

PHONE_VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture
async def people(browser: Browser) -> AsyncIterator[list[Person]]:
    opened: list[Person] = []
    yield opened
    for person in opened:
        await person.context.close()


async def _person(browser: Browser, people: list[Person], name: str, *, phone: bool = False) -> Person:
    person = await open_person(browser, name, phone=phone)
    if phone:
        await person.page.set_viewport_size(PHONE_VIEWPORT)
    people.append(person)
    return person


async def test_an_organiser_signs_in_on_a_new_device_from_the_start_page(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    assert staged.links.organiser_password is not None
    organiser = await _person(browser, people, "organiser on a new laptop")
    page = organiser.page
    await page.goto(f"{staged.base_url}/")
    await page.get_by_role("link", name="Organiser sign-in").click()
    await page.wait_for_url("**/organiser")
    await expect(page.get_by_label("Email")).to_be_visible()
    await expect(page.get_by_text("Open your invitation link again")).to_have_count(0)
    await page.screenshot(path=str(artifacts / "access-organiser-sign-in-console.png"))
    await page.get_by_label("Email").fill(staged.links.organiser_email)
    await page.get_by_label("Password").fill(staged.links.organiser_password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Your meetings")).to_be_visible()
    await page.get_by_role("link", name=staged.links.title, exact=True).click()
    await expect(page.get_by_role("heading", name="Meeting phase")).to_be_visible()

    # The console's own address on another new device: sign in there, then the meeting opens.
    laptop = await _person(browser, people, "organiser on a second laptop")
    await laptop.page.goto(f"{staged.base_url}/organiser/{staged.meeting_id}")
    await laptop.page.get_by_label("Email").fill(staged.links.organiser_email)
    await laptop.page.get_by_label("Password").fill(staged.links.organiser_password)
    await laptop.page.get_by_role("button", name="Sign in").click()
    await expect(laptop.page.get_by_role("heading", name="Meeting phase")).to_be_visible()
    assert organiser.csp_violations() == laptop.csp_violations() == []


async def test_an_invite_link_says_what_it_is_for_and_the_organiser_link_signs_in(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "plenary")
    title = staged.links.title
    moderator = await _person(browser, people, "moderator on a new phone", phone=True)
    await moderator.page.goto(staged.moderator_link("Room 2"))
    await expect(moderator.page.get_by_test_id("invite-purpose")).to_have_text(
        f"You are invited as moderator of Room 2 — {title}"
    )
    await moderator.page.screenshot(path=str(artifacts / "access-moderator-invite-phone.png"))

    # The open join link asks for a name and says so: no "(optional)" it would then refuse.
    walk_in = await _person(browser, people, "walk-in on a new phone", phone=True)
    await walk_in.page.goto(staged.links.participant_join_link)
    await expect(walk_in.page.get_by_test_id("invite-purpose")).to_have_text(
        f"You are invited as participant — {title}"
    )
    name = walk_in.page.get_by_label("Your name")
    await expect(name).to_have_attribute("required", "")
    await expect(walk_in.page.locator("label[for='join-name']")).not_to_contain_text("optional")

    organiser = await _person(browser, people, "organiser opening the printed link")
    await organiser.page.goto(staged.links.organiser_link)
    await expect(organiser.page.get_by_role("heading", name="Organiser sign-in")).to_be_visible()
    await expect(organiser.page.get_by_label("Your name")).to_have_count(0)
    await organiser.page.get_by_role("button", name="Sign in as organiser").click()
    await organiser.page.wait_for_url(f"**/organiser/{staged.meeting_id}")
    await expect(organiser.page.get_by_role("heading", name="Meeting phase")).to_be_visible()


async def test_a_moderator_link_on_a_participant_phone_asks_before_switching(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "plenary")
    phone = await _person(browser, people, "participant phone", phone=True)
    page = phone.page
    await page.goto(staged.links.participant_join_link)
    await page.get_by_label("Your name").fill("Rafiq Uddin")
    await page.get_by_role("button", name="Join").click()
    await page.wait_for_url("**/meeting/**")
    await expect(page.get_by_text("You are Rafiq Uddin, Participant.")).to_be_visible()

    await page.goto(staged.moderator_link("Room 2"))
    question = page.get_by_test_id("switch-question")
    await expect(question).to_have_text(
        "This device is signed in as Rafiq Uddin (participant). Continue as moderator of Room 2?"
    )
    await page.screenshot(path=str(artifacts / "access-switch-question-phone.png"))
    await page.get_by_role("link", name="Keep current").click()
    await page.wait_for_url(re.compile(rf"/meeting/{staged.meeting_id}$"))
    await expect(page.get_by_text("You are Rafiq Uddin, Participant.")).to_be_visible()
    await expect(page.get_by_test_id("moderator-room")).to_have_count(0)

    await page.goto(staged.moderator_link("Room 2"))
    await page.get_by_role("button", name="Continue as moderator of Room 2").click()
    await expect(page.get_by_test_id("invite-purpose")).to_have_text(
        f"You are invited as moderator of Room 2 — {staged.links.title}"
    )
    await page.get_by_role("button", name="Join").click()
    await page.wait_for_url("**/meeting/**")
    await expect(page.get_by_test_id("moderator-room")).to_have_text("Room 2")


async def test_a_participant_opening_the_console_is_told_it_is_not_theirs(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "plenary")
    phone = await _person(browser, people, "curious participant", phone=True)
    page = phone.page
    await page.goto(f"{staged.base_url}/join?code={staged.links.join_code}")
    await page.get_by_label("Your name").fill("Nusrat Jahan")
    await page.get_by_role("button", name="Join").click()
    await page.wait_for_url("**/meeting/**")

    await page.goto(f"{staged.base_url}/organiser/{staged.meeting_id}")
    await expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    await expect(page.get_by_role("heading", name="Meeting phase")).to_have_count(0)
    await expect(page.get_by_text("Something went wrong")).to_have_count(0)
    await page.screenshot(path=str(artifacts / "access-no-access-phone.png"))
    await page.get_by_role("link", name="Go to your meeting").click()
    await page.wait_for_url(re.compile(rf"/meeting/{staged.meeting_id}$"))
    await expect(page.get_by_text("You are Nusrat Jahan, Participant.")).to_be_visible()
