"""The reference meeting in a real browser: an organiser, two moderators, four participants on
phones and a projector (opened with its projector link, no session), each in a browser context of
their own, through one breakout round, the shared question S1 answered in all six rooms, the
report-back presenting it across the rooms, and the meeting's close with its shared report opened
from every participant's closing screen. axe checks every page it passes, in both languages.

Every wait is on something a person would see (Playwright's auto-waiting `expect`), never a sleep.
Screenshots of each main screen are written to test-artifacts/ on every run.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
from docx import Document
from playwright.async_api import Browser, Page, ViewportSize, expect

from tests.browser.accessibility import (
    assert_accessible,
    assert_accessible_as_opened_in_bengali,
    assert_accessible_in_each_language,
)
from tests.browser.conftest import LiveServer
from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, answer_shared_question, bring_to, stage

XSS = "<img src=x onerror=alert(1)>"
FIRST_ANSWER = "Smuggling is only an immigration offence in the penal code"
SECOND_ANSWER = "No offence of its own, so prosecutors charge forgery instead"
OFF_TOPIC = "Is there coffee in the plenary room?"
FINDING = "Make migrant smuggling an offence of its own in national law"
OFFLINE_ANSWER = "Typed on a train without signal"
PROJECTOR: ViewportSize = {"width": 1280, "height": 720}
# S1 in every room: one recommendation raised in all six, another in two of them.
SPECIALISED_UNIT = "Create a specialised prosecution unit for smuggling cases"
PROTECT_WITNESSES = "Protect the migrants who testify against smugglers"
S1_ANSWERS = {
    "Room 1": [SPECIALISED_UNIT],
    "Room 2": [SPECIALISED_UNIT.lower()],
    "Room 3": [f"{SPECIALISED_UNIT}!", PROTECT_WITNESSES],
    "Room 4": [SPECIALISED_UNIT, f"{PROTECT_WITNESSES}."],
    "Room 5": [f"{SPECIALISED_UNIT}."],
    "Room 6": [SPECIALISED_UNIT.upper()],
}
CSV_WITH_A_BAD_ROW = (
    "name,email,organisation,gender,role,room\n"
    "Nasrin Akter,nasrin@ngo.example,Civil society forum,F,participant,Room 4\n"
    "Someone Else,someone@ngo.example,Civil society forum,sometimes,participant,Room 4\n"
)


def room_answers(staged: StagedMeeting, room: str) -> list[dict[str, object]]:
    response = httpx.get(
        f"{staged.base_url}/api/rooms/{staged.rooms[room]}/answers",
        headers={"authorization": f"Bearer {staged.organiser_token}"},
        timeout=10,
    )
    response.raise_for_status()
    answers: list[dict[str, object]] = response.json()
    return answers


async def answer_open(page: Page, text: str) -> None:
    await page.get_by_label("Your answer").fill(text)
    await page.get_by_role("button", name="Send answer").click()


async def test_the_reference_meeting_from_plenary_to_report_back(
    browser: Browser, live_server: LiveServer, people: list[Person], artifacts: Path
) -> None:
    # A copy of its own: this meeting is closed at the end.
    staged = stage(live_server, organiser_email=f"reference-{uuid.uuid4().hex[:6]}@breakouts.local")

    async def person(name: str, *, phone: bool = False) -> Person:
        opened = await open_person(browser, name, phone=phone)
        people.append(opened)
        return opened

    # --- everyone joins -------------------------------------------------------------------------
    bring_to(staged, "plenary")
    organiser = await person("organiser")
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    console = organiser.page
    await expect(console.locator("li[aria-current='step']")).to_have_text("Plenary")

    moderators = {room: await person(f"moderator {room}") for room in ("Room 1", "Room 2")}
    for room, moderator in moderators.items():
        await join_with_link(moderator, staged.moderator_link(room))
        await expect(moderator.page.get_by_test_id("moderator-room")).to_have_text(room)

    seated = {room: staged.participants_of(room)[:2] for room in ("Room 1", "Room 2")}
    phones: dict[str, Person] = {}
    for room, entries in seated.items():
        for index, entry in enumerate(entries):
            phone = await person(f"{room} participant {index + 1}", phone=True)
            await join_with_link(phone, staged.personal_link(str(entry["id"])))
            await expect(phone.page.get_by_text("Now: Plenary")).to_be_visible()
            phones[f"{room}/{index + 1}"] = phone
    amina, bilal = phones["Room 1/1"], phones["Room 1/2"]
    chandra, dipu = phones["Room 2/1"], phones["Room 2/2"]
    await amina.page.screenshot(path=artifacts / "participant-phone-plenary.png", full_page=True)

    # --- breakouts open: participants are moved into their rooms --------------------------------
    await console.get_by_test_id("phase-breakouts").click()
    for key, phone in phones.items():
        await expect(phone.page.get_by_test_id("room-name")).to_have_text(key.split("/")[0])
        await expect(phone.page.get_by_text("No question is open in your room yet.")).to_be_visible()

    # --- room 1: push a question, answer, upvote, hide -----------------------------------------
    moderator1 = moderators["Room 1"].page
    await moderator1.get_by_test_id("room-question").first.get_by_role("button", name="Ask the room").click()
    for phone in (amina, bilal):
        await expect(phone.page.get_by_test_id("live-question")).to_contain_text("Which gaps in national law")
    await answer_open(amina.page, FIRST_ANSWER)
    await answer_open(bilal.page, SECOND_ANSWER)
    await answer_open(bilal.page, XSS)
    await answer_open(bilal.page, OFF_TOPIC)
    answers_on_amina = amina.page.get_by_test_id("answer")
    await expect(answers_on_amina).to_have_count(4)

    # What someone typed is shown as text: the markup is visible, no image, nothing ran.
    await expect(amina.page.get_by_text(XSS, exact=True)).to_be_visible()
    assert await amina.page.locator("[data-testid=answer] img").count() == 0
    assert amina.dialogs == [] and bilal.dialogs == [] and moderators["Room 1"].dialogs == []

    second_on_amina = answers_on_amina.filter(has_text=SECOND_ANSWER)
    await second_on_amina.get_by_role("button", name="Upvote").click()
    await expect(second_on_amina.get_by_role("button", name="Remove upvote")).to_be_visible()
    await expect(bilal.page.get_by_test_id("answer").filter(has_text=SECOND_ANSWER)).to_contain_text("▲ 1")

    off_topic = moderator1.get_by_test_id("moderated-answer").filter(has_text=OFF_TOPIC)
    await off_topic.get_by_role("button", name="Hide").click()
    await expect(off_topic).to_contain_text("Hidden")
    for phone in (amina, bilal):
        await expect(phone.page.get_by_test_id("answer").filter(has_text=OFF_TOPIC)).to_have_count(0)
    await expect(answers_on_amina).to_have_count(3)

    # --- room 1: a finding from two answers, proposed, endorsed, confirmed ----------------------
    for text in (FIRST_ANSWER, SECOND_ANSWER):
        await moderator1.get_by_test_id("moderated-answer").filter(has_text=text).get_by_role("checkbox").check()
    await moderator1.get_by_label("New finding").fill(FINDING)
    await expect(moderator1.get_by_text("Linked answers: 2")).to_be_visible()
    await moderator1.get_by_role("button", name="Save as draft").click()
    finding_row = moderator1.get_by_test_id("finding-row").filter(has_text=FINDING)
    await expect(finding_row).to_contain_text("2 linked answers")
    await finding_row.get_by_role("button", name="Propose to the room").click()
    finding_on_amina = amina.page.get_by_test_id("finding").filter(has_text=FINDING)
    await finding_on_amina.get_by_role("button", name="I agree").click()
    await expect(finding_on_amina).to_contain_text("You agreed")
    await expect(finding_row).to_contain_text("1 agrees")
    await finding_row.get_by_role("button", name="Confirm").click()
    await expect(finding_row).to_contain_text("Confirmed")
    await expect(bilal.page.get_by_test_id("finding").filter(has_text=FINDING)).to_contain_text("Confirmed")
    await amina.page.screenshot(path=artifacts / "participant-phone.png", full_page=True)
    await moderators["Room 1"].page.screenshot(path=artifacts / "moderator-room.png", full_page=True)
    await assert_accessible_in_each_language(amina.page, "a participant's phone in a breakout room")
    await assert_accessible_in_each_language(moderator1, "the moderator's room")

    # --- room 2: keyboard-only answering, and an answer typed offline arrives once --------------
    moderator2 = moderators["Room 2"].page
    await moderator2.get_by_test_id("room-question").first.get_by_role("button", name="Ask the room").click()
    await expect(chandra.page.get_by_test_id("live-question")).to_contain_text("investigative tools")
    keyboard = chandra.page.keyboard
    await chandra.page.get_by_test_id("live-question").focus()
    first_choice = chandra.page.get_by_role("checkbox", name="Financial investigation")
    for _ in range(40):
        await keyboard.press("Tab")
        if await first_choice.evaluate("element => element === document.activeElement"):
            break
    await keyboard.press("Space")
    await expect(first_choice).to_be_checked()
    send = chandra.page.get_by_role("button", name="Send answer")
    for _ in range(10):
        await keyboard.press("Tab")
        if await send.evaluate("element => element === document.activeElement"):
            break
    await keyboard.press("Enter")
    await expect(
        moderator2.get_by_test_id("moderated-answer").filter(has_text="Financial investigation")
    ).to_have_count(1)

    await moderator2.get_by_test_id("room-question").first.get_by_role("button", name="Close question").click()
    await moderator2.get_by_test_id("room-question").nth(1).get_by_role("button", name="Ask the room").click()
    await expect(dipu.page.get_by_test_id("live-question")).to_contain_text("conviction")
    await dipu.context.set_offline(True)
    await expect(dipu.page.get_by_text("You are offline.")).to_be_visible()
    await answer_open(dipu.page, OFFLINE_ANSWER)
    await expect(dipu.page.get_by_text("Kept on this phone, sent when the connection returns: 1")).to_be_visible()
    await dipu.page.screenshot(path=artifacts / "participant-phone-offline.png", full_page=True)
    await dipu.context.set_offline(False)
    await expect(dipu.page.get_by_test_id("answer").filter(has_text=OFFLINE_ANSWER)).to_have_count(1)
    await expect(dipu.page.get_by_text("Kept on this phone")).to_have_count(0)
    await expect(moderator2.get_by_test_id("moderated-answer").filter(has_text=OFFLINE_ANSWER)).to_have_count(1)
    assert [answer["text"] for answer in room_answers(staged, "Room 2")].count(OFFLINE_ANSWER) == 1

    # --- the organiser's overview -----------------------------------------------------------------
    room1_card = console.get_by_test_id("room-card").filter(has_text="Room 1")
    await expect(room1_card.get_by_test_id("room-progress")).to_have_text(re.compile(r"^\d+/\d+ answered$"))
    # The counts as bars too: each meter holds its count's numbers.
    answered, assigned = re.findall(r"\d+", await room1_card.get_by_test_id("room-progress").inner_text())
    meter = room1_card.get_by_test_id("room-answered-meter")
    assert (await meter.get_attribute("value"), await meter.get_attribute("max")) == (answered, assigned)
    present = room1_card.get_by_test_id("room-present-meter")
    assert int(await present.get_attribute("value") or -1) >= 1
    await moderator2.get_by_role("button", name="Ask for help").click()
    await moderator2.get_by_role("button", name="Call the organiser").click()
    await expect(console.get_by_test_id("room-card").filter(has_text="Room 2")).to_contain_text("Help requested")
    await console.screenshot(path=artifacts / "organiser-overview.png", full_page=True)
    await assert_accessible_in_each_language(console, "the organiser's console during breakouts")

    # --- preparation: invite links with a QR code, and a roster CSV with a bad row --------------
    await console.get_by_test_id("tab-prepare").click()
    await expect(console.get_by_test_id("join-qr")).to_be_visible()
    await console.get_by_label("Or paste the CSV").fill(CSV_WITH_A_BAD_ROW)
    await console.get_by_role("button", name="Import", exact=True).click()
    report = console.get_by_test_id("import-report")
    await expect(report).to_contain_text("1 imported")
    await expect(report.get_by_role("table")).to_contain_text("gender")
    await console.screenshot(path=artifacts / "organiser-prepare.png", full_page=True)
    await console.get_by_test_id("tab-live").click()

    # --- S1, the shared question, answered in all six rooms ---------------------------------------
    answer_shared_question(staged, "S1", S1_ANSWERS)
    await expect(amina.page.get_by_test_id("live-question")).to_contain_text("single recommendation")

    # --- report-back: the projector (its link, no session) and the phones follow the organiser ----
    await console.get_by_test_id("projector-link-make").click()
    projector_url = await console.get_by_test_id("projector-link").get_attribute("href")
    assert projector_url is not None and "/present/" in projector_url
    projector = await person("projector")
    await projector.page.set_viewport_size(PROJECTOR)
    await projector.page.goto(projector_url)
    await expect(projector.page.get_by_test_id("present")).to_have_attribute("data-phase", "breakouts")
    await assert_accessible(projector.page, "the projector during breakouts [en]")
    await assert_accessible_as_opened_in_bengali(browser, projector_url, "the projector during breakouts", PROJECTOR)

    await console.get_by_test_id("phase-report_back").click()
    closing = console.get_by_test_id("close-rooms-dialog")
    await closing.get_by_label("Close at once").check()
    await closing.get_by_role("button", name="Close the rooms now").click()
    await expect(amina.page.get_by_text("Now: Report-back")).to_be_visible()
    await expect(projector.page.get_by_test_id("present")).to_have_attribute("data-phase", "report_back")
    await console.get_by_test_id("next-page").click()
    for viewer in (projector.page, amina.page, chandra.page):
        await expect(viewer.get_by_test_id("plenary-room")).to_have_text("Room 1")
        finding = viewer.get_by_test_id("plenary-finding").filter(has_text=FINDING)
        await expect(finding).to_be_visible()
        await expect(finding).to_contain_text(SECOND_ANSWER)
    # The phones show the upvote (the projector shows no names and keeps findings short).
    for viewer in (amina.page, chandra.page):
        await expect(viewer.get_by_test_id("plenary-finding").filter(has_text=FINDING)).to_contain_text("▲ 1")
    await projector.page.screenshot(path=artifacts / "projector.png")
    await amina.page.screenshot(path=artifacts / "participant-phone-report-back.png", full_page=True)

    # Theme by theme: S1 merged across the six rooms, on the projector and every phone.
    await console.get_by_test_id("walk-themes").check()
    s1_title = projector.page.get_by_test_id("plenary-question-title").filter(has_text="S1")
    for _ in range(10):
        if await s1_title.count() > 0:
            break
        await console.get_by_test_id("next-page").click()
        await expect(console.get_by_test_id("projector-position")).not_to_contain_text("outside this walk")
    for viewer in (projector.page, *(phone.page for phone in phones.values())):
        await expect(viewer.get_by_test_id("plenary-question-title")).to_contain_text("S1")
        groups = viewer.get_by_test_id("plenary-group")
        await expect(groups.first).to_contain_text("raised in 6 of 6 rooms")
        await expect(groups.nth(1)).to_contain_text("raised in 2 of 6 rooms")
    # Each group is named by its members' own words.
    labels = projector.page.get_by_test_id("plenary-group").locator(".group-label")
    for label, answer in ((labels.first, SPECIALISED_UNIT), (labels.nth(1), PROTECT_WITNESSES)):
        words = (await label.inner_text()).casefold().split()
        assert words and all(word in answer.casefold() for word in words), (words, answer)
    await projector.page.screenshot(path=artifacts / "projector-s1-across-rooms.png")
    await amina.page.screenshot(path=artifacts / "participant-phone-s1-across-rooms.png", full_page=True)
    await assert_accessible(projector.page, "the projector at report-back [en]")
    await assert_accessible_as_opened_in_bengali(browser, projector_url, "the projector at report-back", PROJECTOR)
    await assert_accessible_in_each_language(amina.page, "a participant's phone at report-back")
    await assert_accessible_in_each_language(console, "the organiser's console at report-back")

    # --- the organiser downloads the position-paper draft, which carries the confirmed finding -------
    async with console.expect_download() as download_info:
        await console.get_by_test_id("report-docx").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".docx")
    paper = Document(await download.path())
    assert any(FINDING in paragraph.text for paragraph in paper.paragraphs)

    # --- the Bengali switch -----------------------------------------------------------------------
    await amina.page.get_by_role("button", name="Switch the interface language to বাংলা").click()
    await expect(amina.page.locator("html")).to_have_attribute("lang", "bn")
    await expect(amina.page.get_by_text("এখন: ফলাফল উপস্থাপন")).to_be_visible()
    await expect(amina.page.get_by_text("পৃষ্ঠা ১ / ১")).to_be_visible()  # the S1 page, with Bengali digits
    await amina.page.screenshot(path=artifacts / "participant-phone-bn.png", full_page=True)
    await amina.page.get_by_role("button", name="ইন্টারফেসের ভাষা বদলে করুন: English").click()
    await expect(amina.page.locator("html")).to_have_attribute("lang", "en")

    # --- the meeting closes; the shared report is opened from every participant's closing screen --
    await console.get_by_test_id("phase-closed").click()
    await console.get_by_test_id("close-meeting-dialog").get_by_role("button", name="Close the meeting").click()
    await console.get_by_role("button", name="Share a read-only report link").click()
    report_url = await console.get_by_test_id("report-link").inner_text()
    await expect(projector.page.get_by_test_id("present")).to_have_attribute("data-phase", "closed")
    for phone in phones.values():
        await expect(phone.page.get_by_test_id("closing-report-url")).to_have_text(report_url)
        await expect(phone.page.get_by_test_id("report-qr")).to_be_visible()
    await assert_accessible_in_each_language(amina.page, "a participant's closing screen")
    for phone in phones.values():
        await phone.page.get_by_test_id("closing-report-open").click()
        await phone.page.wait_for_url(report_url)
        paper = phone.page.get_by_test_id("report-paper")
        await expect(paper.get_by_role("heading", level=1)).to_have_text(staged.links.title)
        await expect(paper.get_by_text(FINDING).first).to_be_visible()
    await amina.page.screenshot(path=artifacts / "participant-phone-shared-report.png", full_page=True)
    await assert_accessible_in_each_language(amina.page, "the shared report")

    # --- nothing broke the Content-Security-Policy, nothing failed in any console ---------------
    for someone in people:
        assert someone.csp_violations() == [], someone.name
        assert someone.dialogs == [], someone.name
        assert someone.console_errors == [], (someone.name, someone.console_errors)
