"""A results chart on a 360 px phone: the reference meeting's multiple-choice question (Room 2's
investigative tools) with its long option labels. Each label keeps whole words on its lines, in
English and in Bengali, its bar stays visible, and the counts are written in the language's digits."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.accessibility import assert_accessible, switch_language
from tests.browser.pages import Person, join_with_link, open_person
from tests.browser.small_meeting import small_meeting
from tests.browser.staging import StagedMeeting

TOOLS = [
    ("financial", "Financial investigation"),
    ("jit", "Joint investigation teams"),
    ("digital", "Digital evidence"),
    ("witness", "Witness protection"),
    ("undercover", "Undercover operations"),
]

# Per row header: its label's words, and the lines the label's text is laid out on.
LABEL_LINES = """() => [...document.querySelectorAll('[data-testid=results-row] th')].map((cell) => {
  const text = [...cell.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
  return { label: text.textContent.trim(), words: text.textContent.trim().split(/\\s+/).length, lines: tops.size };
})"""


async def assert_labels_whole_and_bars_shown(phone: Page) -> None:
    for row in await phone.evaluate(LABEL_LINES):
        assert row["lines"] <= row["words"], f"{row['label']!r} is broken inside a word: {row}"
    for bar in await phone.get_by_test_id("results-row").locator(".bar").all():
        if await bar.is_visible():
            box = await bar.bounding_box()
            assert box is not None and box["width"] >= 1 and box["height"] >= 8
    shown = [bar for bar in await phone.get_by_test_id("results-row").locator(".bar").all() if await bar.is_visible()]
    assert len(shown) == len(TOOLS), "one bar per option"
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"


async def test_a_phone_shows_long_option_labels_whole_with_their_bars(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Results on a phone")
    options = [{"id": key, "label": label} for key, label in TOOLS]
    question = meeting.call(
        "POST",
        f"/api/meetings/{meeting.meeting_id}/questions",
        {
            "code": "R2.1",
            "text": "Which investigative tools are most needed?",
            "kind": "multiple_choice",
            "options": options,
        },
    )
    meeting.call("PUT", f"/api/questions/{question['id']}/allocations", {"room_ids": [meeting.rooms["Room 1"]]})
    meeting.questions["R2.1"] = str(question["id"])
    for phase in ("lobby", "plenary", "breakouts"):
        meeting.phase(phase)
    phone = await open_person(browser, "Nusrat", phone=True)
    people.append(phone)
    await join_with_link(phone, meeting.person("Nusrat", "Room 1"))
    page = phone.page
    meeting.push("R2.1", "Room 1")
    await expect(page.get_by_test_id("live-question")).to_have_text("Which investigative tools are most needed?")
    for label in ("Joint investigation teams", "Digital evidence"):
        await page.get_by_label(label, exact=True).check()
    await page.get_by_role("button", name="Send answer").click()
    jit = page.get_by_test_id("results-row").and_(page.locator("[data-key='jit']"))
    await expect(jit).to_have_attribute("data-count", "1")

    await expect(jit).to_contain_text("1100%")
    await assert_labels_whole_and_bars_shown(page)
    await page.screenshot(path=artifacts / "results-phone-long-labels-en.png", full_page=True)

    await switch_language(page, "bn")
    await expect(jit.locator("td").first).to_have_text("১")  # the count in Bengali digits, as its share
    await expect(jit.locator("td").nth(1)).to_have_text("১০০ শতাংশ")
    await assert_labels_whole_and_bars_shown(page)
    await page.screenshot(path=artifacts / "results-phone-long-labels-bn.png", full_page=True)
    await assert_accessible(page, "a phone's results chart [bn]")
    assert phone.console_errors == []
