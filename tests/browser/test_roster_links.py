"""Personal links for the whole roster from the console: made in one click (a second click makes
none), downloaded as CSV and read back, printed as a sheet with one QR code per person, and a
link from the file signs its person in on a phone.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to, organiser_call


async def download_csv(console: Page, artifacts: Path, name: str) -> list[dict[str, str]]:
    async with console.expect_download() as info:
        await console.get_by_role("link", name="Download as CSV").click()
    download = await info.value
    target = artifacts / name
    await download.save_as(target)
    return list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))


async def test_roster_links_are_made_once_downloaded_as_csv_printed_with_qr_codes_and_open(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "plenary")
    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    console = organiser.page
    await console.get_by_test_id("tab-prepare").click()
    await console.get_by_role("button", name="Create links for everyone").click()
    status = console.get_by_test_id("roster-links-status")
    await expect(status).to_contain_text("created")
    roster = organiser_call(staged, "GET", f"/api/meetings/{staged.meeting_id}/participants")
    assert isinstance(roster, list)
    # Everyone but the organiser, who signs in with their account.
    # Counted by entry: walk-ins of earlier tests may share a name.
    everyone = [
        entry["display_name"] for entry in roster if entry["erased_at"] is None and entry["role"] != "organiser"
    ]
    await expect(status).to_contain_text(f"{len(everyone)} people have a personal link.")
    await console.screenshot(path=artifacts / "roster-links-console.png", full_page=True)

    rows = await download_csv(console, artifacts, "roster-links.csv")
    assert rows and list(rows[0]) == ["name", "email", "room", "link"]
    assert sorted(row["name"] for row in rows) == sorted(everyone)
    assert all(row["link"].startswith(f"{staged.base_url}/join/") for row in rows)
    amina = next(row for row in rows if row["room"] == "Room 2" and row["email"])
    rooms = {room_id: name for name, room_id in staged.rooms.items()}
    emails = {entry["email"]: rooms.get(entry["room_id"]) for entry in roster if entry["email"]}
    assert emails[amina["email"]] == "Room 2"

    # A second click keeps every link: nothing new, the same file.
    await console.get_by_role("button", name="Create links for everyone").click()
    await expect(status).to_contain_text("0 new links created.")
    again = await download_csv(console, artifacts, "roster-links-again.csv")
    assert again == rows

    # The printable sheet: one card and one QR code per person, the buttons hidden on paper.
    async with organiser.context.expect_page() as opened:
        await console.get_by_role("link", name="Printable sheet with QR codes").click()
    sheet = await opened.value
    await expect(sheet.get_by_test_id("roster-card")).to_have_count(len(rows))
    await expect(sheet.get_by_test_id("roster-qr")).to_have_count(len(rows))
    card = sheet.get_by_test_id("roster-card").filter(has_text=amina["link"])
    await expect(card).to_contain_text(amina["name"])
    await expect(card.get_by_role("img", name=f"QR code of {amina['name']}\u2019s personal link")).to_be_visible()
    await sheet.emulate_media(media="print")
    await expect(sheet.get_by_role("button", name="Print")).to_be_hidden()
    await sheet.screenshot(path=artifacts / "roster-links-sheet-print.png", full_page=True)

    # The link read back from the file signs its person in, on a phone, in their room.
    phone = await open_person(browser, amina["name"], phone=True)
    people.append(phone)
    await join_with_link(phone, amina["link"])
    await expect(phone.page.get_by_text(f"You are {amina['name']}")).to_be_visible()
    bring_to(staged, "breakouts")
    await expect(phone.page.get_by_test_id("room-name")).to_have_text("Room 2")
    await phone.page.screenshot(path=artifacts / "roster-links-phone-signed-in.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)
