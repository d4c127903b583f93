"""Reaching the right page in the right role, from a browser that holds no session (a new device).

The organiser finds the sign-in from the start page; an invite link says what it is for before it
is opened; a phone already signed in asks before it changes person; someone who opens a page that
is not theirs is told so and shown the way back. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import Browser, Page, expect

from tests.browser.pages import Person, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to, organiser_call

PHONE_VIEWPORT = {"width": 360, "height": 740}


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
    sign_in = page.get_by_role("link", name="Organiser sign-in")
    await expect(sign_in).to_be_in_viewport()
    await sign_in.click()
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
    await organiser.page.goto(staged.organiser_link())
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

    # Another meeting's page: the same answer, and the way back to the meeting this phone is in.
    other = organiser_call(staged, "POST", "/api/meetings", {"title": "Another consultation"})
    assert isinstance(other, dict)
    await page.goto(f"{staged.base_url}/meeting/{other['id']}")
    await expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    await page.get_by_role("link", name="Go to your meeting").click()
    await page.wait_for_url(re.compile(rf"/meeting/{staged.meeting_id}$"))


def _push_question(staged: StagedMeeting, room_name: str, code: str) -> None:
    """Make the room's question ``code`` the live one (closing whichever is live), as its moderator would."""
    room_id = staged.rooms[room_name]
    questions = organiser_call(staged, "GET", f"/api/rooms/{room_id}/questions")
    assert isinstance(questions, dict)
    ids = {question["code"]: question["id"] for question in questions["questions"]}
    for allocation in questions["allocations"]:
        if allocation["state"] == "live" and allocation["question_id"] != ids[code]:
            organiser_call(staged, "POST", f"/api/rooms/{room_id}/questions/{allocation['question_id']}/close")
    live = {allocation["question_id"] for allocation in questions["allocations"] if allocation["state"] == "live"}
    if ids[code] not in live:
        organiser_call(staged, "POST", f"/api/rooms/{room_id}/questions/{ids[code]}/push")


async def _overflow(page: Page) -> list[str]:
    """The elements that reach past the right edge of the screen (none when nothing scrolls sideways)."""
    found: list[str] = await page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
        }"""
    )
    return found


async def test_a_phone_shows_counts_timers_and_scales_as_people_read_them(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    _push_question(staged, "Room 5", "R5.2")
    someone = staged.participants_of("Room 5")[0]
    phone = await _person(browser, people, "Room 5 phone", phone=True)
    page = phone.page
    await page.goto(staged.personal_link(someone["id"]))
    await page.set_viewport_size({"width": 280, "height": 653})
    await expect(page.get_by_role("button", name="Join")).to_be_visible()
    assert await _overflow(page) == [], "the join page is wider than a 280 px screen"
    await page.set_viewport_size(PHONE_VIEWPORT)
    await page.get_by_role("button", name="Join").click()
    await page.wait_for_url("**/meeting/**")

    # The scale's five boxes share one row on a 360 px phone.
    scale = page.get_by_role("group", name="Choose a value from 1 to 5")
    await expect(scale).to_be_visible()
    tops = await scale.locator("label").evaluate_all("labels => labels.map(l => l.getBoundingClientRect().top)")
    assert len(tops) == 5 and len(set(tops)) == 1, tops

    # A one-minute timer reads 1:00 at its start, never 1:01: every value the clock shows is kept.
    await page.evaluate(
        """() => {
            window.shownClocks = [];
            const keep = () => document.querySelectorAll('.clock').forEach(c => window.shownClocks.push(c.textContent));
            new MutationObserver(keep).observe(document.body, {subtree: true, childList: true, characterData: true});
        }"""
    )
    organiser_call(staged, "POST", f"/api/meetings/{staged.meeting_id}/timers", {"seconds": 60, "label": "Pause"})
    await page.wait_for_function("() => window.shownClocks.includes('0:58')")
    shown = await page.evaluate("() => window.shownClocks")
    assert "1:01" not in shown and "1:00" in shown, shown
    await page.screenshot(path=str(artifacts / "access-phone-scale-timer.png"), full_page=True)

    # Nothing runs off the side of the narrowest phones.
    await page.set_viewport_size({"width": 280, "height": 653})
    await expect(scale).to_be_visible()
    assert await _overflow(page) == [], "the room view is wider than a 280 px screen"
    await page.screenshot(path=str(artifacts / "access-phone-280.png"), full_page=True)


async def test_the_console_keeps_the_spaces_around_its_separators(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    someone = staged.participants_of("Room 6")[0]
    opened = httpx.post(
        f"{staged.personal_link(someone['id']).replace('/join/', '/api/invites/')}/open",
        json={"session_delivery": "token"},
        timeout=10,
    )
    opened.raise_for_status()
    asked = httpx.post(
        f"{staged.base_url}/api/rooms/{staged.rooms['Room 6']}/help",
        json={"message": "We need the organiser"},
        headers={"authorization": f"Bearer {opened.json()['token']}"},
        timeout=10,
    )
    assert asked.status_code in (200, 201, 409), asked.text  # 409: the room's request is still open

    organiser = await _person(browser, people, "organiser")
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    console = organiser.page
    room_6 = console.get_by_test_id("room-card").filter(has_text="Room 6")
    await expect(room_6).to_contain_text(f"Help requested — {someone['display_name']}")
    await console.screenshot(path=str(artifacts / "access-console-help.png"))
    await console.get_by_test_id("tab-prepare").click()
    await expect(console.get_by_text(re.compile(r"^Plenary talk · 5 min · Event moderator$"))).to_be_visible()
