"""Live results: four phones answer a single-choice, a multiple-choice and a scale question; the
moderator, the phones and the projector show the bars and the mean, a changed answer moves its
bar, and the answers CSV counts the person once."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.small_meeting import SmallMeeting, small_meeting
from tests.browser.staging import StagedMeeting

PHONE_VIEWPORT = {"width": 360, "height": 740}
OPTIONS = [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}, {"id": "unsure", "label": "Unsure"}]
PHONES = ("Amina", "Bilal", "Chen", "Dina")


def add_question(meeting: SmallMeeting, code: str, **fields: object) -> None:
    question = meeting.call(
        "POST", f"/api/meetings/{meeting.meeting_id}/questions", {"code": code, "text": f"Question {code}", **fields}
    )
    meeting.call("PUT", f"/api/questions/{question['id']}/allocations", {"room_ids": [meeting.rooms["Room 1"]]})
    meeting.questions[code] = str(question["id"])


def row(page: Page, key: str) -> Locator:
    return page.get_by_test_id("results-row").and_(page.locator(f"[data-key='{key}']"))


async def expect_counts(page: Page, counts: dict[str, int], respondents: int) -> None:
    """The chart's text form: each option's row names its count and share of the people."""
    for key, count in counts.items():
        share = round(count / respondents * 100) if respondents else 0
        await expect(row(page, key)).to_have_attribute("data-count", str(count))
        await expect(row(page, key)).to_contain_text(f"{count}{share}%")
    await expect(page.get_by_test_id("results-respondents")).to_have_text(
        f"{respondents} {'person' if respondents == 1 else 'people'} answered"
    )


async def choose(phone: Page, *labels: str) -> None:
    for label in labels:
        await phone.get_by_label(label, exact=True).check()
    await phone.get_by_role("button", name="Send answer").click()


async def test_four_phones_answer_and_everyone_sees_the_results(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Live results")
    add_question(meeting, "S1", kind="single_choice", options=OPTIONS)
    add_question(meeting, "M1", kind="multiple_choice", options=OPTIONS)
    add_question(meeting, "A1", kind="single_choice", options=OPTIONS, visibility="after_close")
    add_question(meeting, "V1", kind="scale", scale_min=1, scale_max=5, scale_labels={"1": "Poor", "5": "Excellent"})
    meeting.phase("lobby")
    meeting.phase("plenary")
    meeting.phase("breakouts")

    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    projector = organiser.page
    moderator = await open_person(browser, "Moderator")
    people.append(moderator)
    await join_with_link(moderator, meeting.person("Moderator", "Room 1", "moderator"))
    phones: list[Page] = []
    for name in PHONES:
        phone = await open_person(browser, name, phone=True)
        people.append(phone)
        await phone.page.set_viewport_size(PHONE_VIEWPORT)
        await join_with_link(phone, meeting.person(name, "Room 1"))
        phones.append(phone.page)
    await projector.goto(f"{staged.base_url}/projector/{meeting.meeting_id}")
    await expect(projector.get_by_test_id("projector")).to_be_visible()
    mod = moderator.page

    # Single choice: two Yes, one No, one Unsure; then Amina changes to No.
    meeting.push("S1", "Room 1")
    for phone, label in zip(phones, ("Yes", "Yes", "No", "Unsure"), strict=True):
        await expect(phone.get_by_test_id("live-question")).to_have_text("Question S1")
        await choose(phone, label)
    await expect_counts(mod, {"yes": 2, "no": 1, "unsure": 1}, 4)
    for phone in phones:
        await expect_counts(phone, {"yes": 2, "no": 1, "unsure": 1}, 4)
    await expect(projector.get_by_test_id("projector-results")).to_contain_text("Question S1")
    await expect_counts(projector, {"yes": 2, "no": 1, "unsure": 1}, 4)
    amina = phones[0]
    await expect(amina.get_by_test_id("my-choice")).to_have_text("You chose: Yes")
    await amina.screenshot(path=artifacts / "results-phone-single-choice.png", full_page=True)

    await amina.get_by_role("button", name="Change my answer").click()
    await choose(amina, "No")
    await expect(amina.get_by_test_id("my-choice")).to_have_text("You chose: No")
    await expect_counts(mod, {"yes": 1, "no": 2, "unsure": 1}, 4)
    await expect_counts(amina, {"yes": 1, "no": 2, "unsure": 1}, 4)
    await expect_counts(projector, {"yes": 1, "no": 2, "unsure": 1}, 4)
    await mod.screenshot(path=artifacts / "results-moderator-single-choice.png", full_page=True)
    await projector.screenshot(path=artifacts / "results-projector-single-choice.png")

    # The answers CSV has one row per person for the changed question.
    exported = httpx.get(
        f"{staged.base_url}/api/meetings/{meeting.meeting_id}/answers.csv",
        headers={"authorization": f"Bearer {staged.organiser_token}"},
        timeout=10,
    )
    exported.raise_for_status()
    rows = [r for r in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))) if r["question_code"] == "S1"]
    assert sorted(r["choice_ids"] for r in rows) == ["no", "no", "unsure", "yes"]

    # Multiple choice: shares of the people, adding up to more than 100 %.
    meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['S1']}/close")
    meeting.push("M1", "Room 1")
    for phone, labels in zip(phones, (("Yes", "No"), ("Yes",), ("Yes", "Unsure"), ("No",)), strict=True):
        await expect(phone.get_by_test_id("live-question")).to_have_text("Question M1")
        await choose(phone, *labels)
    await expect_counts(mod, {"yes": 3, "no": 2, "unsure": 1}, 4)
    await expect_counts(phones[3], {"yes": 3, "no": 2, "unsure": 1}, 4)
    await mod.screenshot(path=artifacts / "results-moderator-multiple-choice.png", full_page=True)

    # Scale: 2, 4, 5, 5 → mean 4, median 4.5, with the labels of both ends.
    meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['M1']}/close")
    meeting.push("V1", "Room 1")
    for phone, value in zip(phones, ("2", "4", "5", "5"), strict=True):
        await expect(phone.get_by_test_id("live-question")).to_have_text("Question V1")
        await phone.get_by_role("radio", name=re.compile(rf"^{value}\b")).check()
        await phone.get_by_role("button", name="Send answer").click()
    for page in (mod, phones[1], projector):
        await expect_counts(page, {"1": 0, "2": 1, "3": 0, "4": 1, "5": 2}, 4)
        await expect(page.get_by_test_id("results-summary")).to_have_text("Mean 4 · median 4.5")
        await expect(page.get_by_test_id("results")).to_contain_text("Lowest 1: Poor")
        await expect(page.get_by_test_id("results")).to_contain_text("Highest 5: Excellent")
    await phones[1].screenshot(path=artifacts / "results-phone-scale.png", full_page=True)
    await mod.screenshot(path=artifacts / "results-moderator-scale.png", full_page=True)
    await projector.screenshot(path=artifacts / "results-projector-scale.png")

    # Results shown only after close: the moderator sees them at once, the phones once it closed.
    meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['V1']}/close")
    meeting.push("A1", "Room 1")
    for phone, label in zip(phones, ("Yes", "No", "No", "No"), strict=True):
        await expect(phone.get_by_test_id("live-question")).to_have_text("Question A1")
        await choose(phone, label)
    await expect_counts(mod, {"yes": 1, "no": 3, "unsure": 0}, 4)
    await expect(phones[2].get_by_test_id("my-choice")).to_have_text("You chose: No")
    await expect(phones[2].get_by_test_id("results")).to_have_count(0)
    await expect(projector.get_by_test_id("projector-results")).to_have_count(0)
    meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['A1']}/close")
    await expect(phones[2].get_by_role("heading", name="A1 · Question A1")).to_be_visible()
    await expect_counts(phones[2], {"yes": 1, "no": 3, "unsure": 0}, 4)
    await phones[2].screenshot(path=artifacts / "results-phone-after-close.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)
