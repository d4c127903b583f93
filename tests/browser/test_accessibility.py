"""Every page passes axe (WCAG 2.0, 2.1 and 2.2, levels A and AA) in English and in Bengali: the
start page with its code form, an open join link, a personal link, the organiser's sign-in, a
participant's lobby, breakout room (a live question, its answer form and answers) and closing
screen, the moderator's room, each tab of the console, and the shared report page.

A small meeting of its own (it is closed at the end). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.accessibility import (
    assert_accessible,
    assert_accessible_in_each_language,
    axe_violations,
    switch_language,
)
from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
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


async def test_every_page_passes_axe_in_english_and_bengali(
    person: OpenPerson, staged: StagedMeeting, artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Accessibility review")
    moderator_link = meeting.person("Moderator Nasrin", "Room 1", role="moderator")
    participant_link = meeting.person("Amina Rahman", "Room 1")
    open_link = meeting.call("POST", f"/api/meetings/{meeting.meeting_id}/invites", {"role": "participant"})["url"]
    join_code = meeting.call("GET", f"/api/meetings/{meeting.meeting_id}")["join_code"]
    meeting.phase("lobby")

    visitor = await person("visitor on a phone", phone=True)
    page = visitor.page
    await page.goto(f"{staged.base_url}/")
    await expect(page.get_by_label("Meeting code")).to_be_visible()
    await assert_accessible_in_each_language(page, "the start page (join by code)")
    await page.goto(f"{staged.base_url}/join?code={join_code}")
    await expect(page.get_by_label("Meeting code")).to_have_value(join_code)
    await assert_accessible_in_each_language(page, "the join form with a code")
    await page.goto(open_link)
    await expect(page.get_by_label("Your name")).to_be_visible()
    await assert_accessible_in_each_language(page, "an open join link")
    await page.goto(participant_link)
    await expect(page.get_by_role("button", name="Join")).to_be_visible()
    await assert_accessible_in_each_language(page, "a personal link")
    await page.goto(f"{staged.base_url}/organiser")
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await assert_accessible_in_each_language(page, "the organiser's sign-in")
    await page.goto(f"{staged.base_url}/join/not-a-real-invite")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await assert_accessible_in_each_language(page, "an invite link that does not work")
    await page.goto(f"{staged.base_url}/no/such/page/here")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await assert_accessible_in_each_language(page, "the page-not-found page")

    phone = await person("participant's phone", phone=True)
    await join_with_link(phone, participant_link)
    await expect(phone.page.get_by_role("heading", level=1)).to_have_text("Accessibility review")
    await assert_accessible_in_each_language(phone.page, "the participant's lobby")

    meeting.phase("plenary")
    meeting.phase("breakouts")
    meeting.push("Q1", "Room 1")
    await expect(phone.page.get_by_test_id("live-question")).to_have_text("Which gaps in national law matter most?")
    await assert_accessible_in_each_language(phone.page, "a breakout room with its question and answer form")
    await phone.page.get_by_label("Your answer").fill("Close the legal gap on smuggling")
    await phone.page.get_by_role("button", name="Send answer").click()
    await expect(phone.page.get_by_text("Close the legal gap on smuggling")).to_be_visible()
    await assert_accessible_in_each_language(phone.page, "a breakout room with an answer")
    await phone.page.screenshot(path=artifacts / "accessibility-breakout-room.png", full_page=True)

    moderator = await person("moderator")
    await join_with_link(moderator, moderator_link)
    await expect(moderator.page.get_by_test_id("moderator-room")).to_have_text("Room 1")
    await expect(moderator.page.get_by_text("Close the legal gap on smuggling")).to_be_visible()
    await assert_accessible_in_each_language(moderator.page, "the moderator's room")

    organiser = await person("organiser")
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    console = organiser.page
    for tab in ("live", "plenary", "people", "prepare"):
        await console.get_by_test_id(f"tab-{tab}").click()
        await expect(console.get_by_test_id(f"tab-{tab}")).to_have_attribute("aria-current", "page")
        await assert_accessible_in_each_language(console, f"the console's {tab} tab")
    await console.get_by_test_id("tab-live").click()
    await console.get_by_role("button", name="Open Room 1").click()
    await expect(console.get_by_test_id("moderator-room")).to_have_text("Room 1")
    await assert_accessible_in_each_language(console, "a room opened in the console")

    # A choice question's results: the chart on the phone and in the moderator's room.
    meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['Q1']}/close")
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
    meeting.push("Q3", "Room 1")
    await phone.page.get_by_role("radio", name="Yes").check()
    await phone.page.get_by_role("button", name="Send answer").click()
    await expect(phone.page.get_by_test_id("results")).to_be_visible()
    await assert_accessible_in_each_language(phone.page, "a breakout room with a results chart")
    await expect(moderator.page.get_by_test_id("results")).to_be_visible()
    await assert_accessible_in_each_language(moderator.page, "the moderator's room with a results chart")

    # The organiser's other pages, and the dialog that closes the rooms.
    await console.get_by_test_id("tab-live").click()
    for language in ("en", "bn"):  # a modal dialog: the language is switched while it is closed
        await switch_language(console, language)
        await console.get_by_test_id("phase-report_back").click()
        dialog = console.get_by_role("dialog")
        await expect(dialog).to_be_visible()
        await assert_accessible(console, f"the dialog closing the rooms [{language}]")
        await console.keyboard.press("Escape")
        await expect(dialog).to_have_count(0)
    await switch_language(console, "en")
    await console.goto(f"{staged.base_url}/organiser/{meeting.meeting_id}/links")
    await expect(console.get_by_role("heading", level=1)).to_be_visible()
    await assert_accessible_in_each_language(console, "the sheet of personal links")
    await console.goto(f"{staged.base_url}/organiser")
    await expect(console.get_by_role("link", name="Accessibility review", exact=True)).to_be_visible()
    await assert_accessible_in_each_language(console, "the organiser's meetings")

    # Report-back: the phones show the merged plenary view.
    meeting.phase("report_back")
    await expect(phone.page.get_by_test_id("plenary-view")).to_be_visible()
    await assert_accessible_in_each_language(phone.page, "the report-back on a phone")

    meeting.phase("closed")
    report = meeting.call("POST", f"/api/meetings/{meeting.meeting_id}/report-link")
    await expect(phone.page.get_by_test_id("report-qr")).to_be_visible()
    await assert_accessible_in_each_language(phone.page, "the closing screen with the report link")

    reader = await person("report reader", phone=True)
    await reader.page.goto(report["url"])
    await expect(reader.page.get_by_test_id("report-paper").get_by_role("heading", level=1)).to_have_text(
        "Accessibility review"
    )
    await assert_accessible_in_each_language(reader.page, "the shared report page")


async def test_the_check_names_each_rule_broken_and_where(person: OpenPerson) -> None:
    page = (await person("a page made to fail")).page
    await page.set_content(
        '<html lang="en"><head><title>Made to fail</title></head><body><main><h1>Made to fail</h1>'
        '<img src="data:,"><button id="empty"></button><p style="color:#bbb;background:#fff">faint text</p>'
        "</main></body></html>"
    )

    assert {"image-alt", "button-name", "color-contrast"} <= {rule["id"] for rule in await axe_violations(page)}
    with pytest.raises(AssertionError) as failure:
        await assert_accessible(page, "a page made to fail")
    message = str(failure.value)
    assert "broken on a page made to fail" in message
    assert "- button-name (critical)" in message and "at #empty" in message
    assert "https://dequeuniversity.com/rules/axe/" in message
