"""The report people receive: ``/reports/<token>`` opened with no session (phone and desktop), its
downloads through the link, a revoked link saying so, and the closing screen of a phone showing
the link with its QR code once the organiser shares it from the console."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, organiser_call

# Typed by an organiser: it must show as these characters, never run or render as markup.
HOSTILE_TITLE = 'Closing review <img src=x onerror="window.__pwned=1"> & <b>bold</b>'
HOSTILE_DESCRIPTION = "<script>window.__pwned=2</script> ঢাকা consultation"

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


def _share(staged: StagedMeeting, meeting_id: str) -> dict[str, str]:
    link = organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/report-link")
    assert isinstance(link, dict)
    return link


async def test_the_shared_report_opens_without_a_session_downloads_and_says_when_revoked(
    person: OpenPerson, staged: StagedMeeting, artifacts: Path
) -> None:
    link = _share(staged, staged.meeting_id)
    title = staged.links.title

    reader = await person("reader on a phone", phone=True)
    page = reader.page
    await page.goto(link["url"])
    paper = page.get_by_test_id("report-paper")
    await expect(paper.get_by_role("heading", level=1)).to_have_text(title)
    assert await reader.context.cookies() == []  # nobody signed in: the link is the credential
    # The position paper's order: the summary and the recommendations first.
    headings = await paper.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:2] == ["Executive summary", "Key recommendations"], headings
    await expect(paper.get_by_role("heading", name="Participation")).to_be_visible()
    await expect(paper.get_by_role("heading", name="Findings by theme")).to_be_visible()
    # The figures of the report's data (earlier tests may have added people to the roster).
    counts = httpx.get(link["json_url"], timeout=10).json()["participation"]["participants"]
    assert counts["total"] >= 45
    line = f"Participants: {counts['total']} (female: {counts['female']}, male: {counts['male']},"
    await expect(paper.get_by_text(line)).to_be_visible()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the report is {width} px wide on a 360 px phone"
    await page.screenshot(path=artifacts / "shared-report-phone.png", full_page=True)

    async with page.expect_download() as docx_download:
        await page.get_by_test_id("shared-report-docx").click()
    docx = await docx_download.value
    assert docx.suggested_filename.endswith("-report.docx")
    docx_path = await docx.path()
    with zipfile.ZipFile(docx_path) as document:
        assert title.encode() in document.read("word/document.xml")

    async with page.expect_download() as pdf_download:
        await page.get_by_test_id("shared-report-pdf").click()
    pdf = await pdf_download.value
    assert pdf.suggested_filename.endswith("-report.pdf")
    assert Path(await pdf.path()).read_bytes().startswith(b"%PDF")

    async with page.expect_download() as csv_download:
        await page.get_by_test_id("shared-report-csv").click()
    answers = await csv_download.value
    assert answers.suggested_filename.endswith("-answers.csv")
    rows = list(csv.reader(io.StringIO(Path(await answers.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["answer_id", "room", "question_code", "question_text"]

    await page.get_by_role("button", name="Switch the interface language to বাংলা").click()
    await expect(paper.get_by_role("heading", name="অংশগ্রহণ")).to_be_visible()
    await expect(page.get_by_test_id("shared-report-docx")).to_have_text("ওয়ার্ড নথি (DOCX)")
    await page.screenshot(path=artifacts / "shared-report-phone-bengali.png", full_page=True)
    await page.get_by_role("button", name="ইন্টারফেসের ভাষা বদলে করুন: English").click()

    desktop = await person("reader at a desk")
    await desktop.page.goto(link["url"])
    await expect(desktop.page.get_by_test_id("report-paper").get_by_role("heading", level=1)).to_have_text(title)
    await desktop.page.screenshot(path=artifacts / "shared-report-desktop.png", full_page=True)

    organiser_call(staged, "DELETE", f"/api/meetings/{staged.meeting_id}/report-link")
    await page.reload()
    await expect(page.get_by_role("heading", name="This report link no longer works")).to_be_visible()
    await expect(page.get_by_test_id("report-paper")).to_have_count(0)
    await page.screenshot(path=artifacts / "shared-report-revoked.png", full_page=True)
    _share(staged, staged.meeting_id)  # shared again (a new link) for whoever comes next


async def test_the_closing_screen_shows_the_report_link_and_its_qr_code_once_shared(
    person: OpenPerson, staged: StagedMeeting, artifacts: Path
) -> None:
    made = organiser_call(staged, "POST", "/api/meetings", {"title": HOSTILE_TITLE, "description": HOSTILE_DESCRIPTION})
    assert isinstance(made, dict)
    meeting_id = str(made["id"])
    entry = organiser_call(
        staged,
        "POST",
        f"/api/meetings/{meeting_id}/participants",
        {"display_name": "Rina Akter", "role": "participant"},
    )
    assert isinstance(entry, dict)
    invite = organiser_call(
        staged, "POST", f"/api/meetings/{meeting_id}/invites", {"role": "participant", "participant_id": entry["id"]}
    )
    assert isinstance(invite, dict)
    for phase in ("lobby", "plenary"):
        organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/phase", {"phase": phase})

    phone = await person("participant's phone", phone=True)
    await join_with_link(phone, str(invite["url"]))
    await expect(phone.page.get_by_role("heading", level=1)).to_have_text(HOSTILE_TITLE)

    organiser = await person("organiser")
    await sign_in_organiser(organiser, staged.organiser_link(), meeting_id)
    console = organiser.page
    organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/phase", {"phase": "closed"})
    closing = phone.page.get_by_test_id("closing-report")
    await expect(closing).to_contain_text("The organiser will share the meeting report here.")
    await expect(phone.page.get_by_test_id("report-qr")).to_have_count(0)

    await console.get_by_role("button", name="Share a read-only report link").click()
    shown = console.get_by_test_id("report-link")
    await expect(shown).to_have_text(re.compile(rf"^{re.escape(staged.base_url)}/reports/[A-Za-z0-9._~-]+$"))
    url = await shown.inner_text()
    await expect(console.get_by_role("button", name="Copy link: read-only report link")).to_be_visible()
    await expect(console.get_by_test_id("report-link-qr")).to_be_visible()
    await console.locator("section[aria-labelledby='report-heading']").screenshot(
        path=artifacts / "console-report-link.png"
    )

    # The phone follows without a reload.
    await expect(phone.page.get_by_test_id("closing-report-url")).to_have_text(url)
    qr = phone.page.get_by_test_id("report-qr")
    await expect(qr).to_be_visible()
    await expect(qr).to_have_attribute("aria-label", "QR code of the report link")
    await phone.page.screenshot(path=artifacts / "closing-screen-report-link.png", full_page=True)

    await phone.page.get_by_test_id("closing-report-open").click()
    await phone.page.wait_for_url(url)
    paper = phone.page.get_by_test_id("report-paper")
    await expect(paper.get_by_role("heading", level=1)).to_have_text(HOSTILE_TITLE)
    await expect(paper.get_by_text(HOSTILE_DESCRIPTION)).to_be_visible()
    assert await paper.locator("img, script, b").count() == 0
    assert await phone.page.evaluate("window.__pwned === undefined")

    # Revoked from the console: the closing screen takes the link away.
    await phone.page.go_back()
    await expect(phone.page.get_by_test_id("closing-report-url")).to_have_text(url)
    await console.get_by_role("button", name="Revoke the link").click()
    await expect(phone.page.get_by_test_id("report-qr")).to_have_count(0)
    await expect(closing).to_contain_text("The organiser will share the meeting report here.")
