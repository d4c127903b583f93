"""Balanced assignment from the console: a per-room preview (how many, gender and organisation
type), then applying exactly it; phones signed in with their personal links are in the rooms it
made when the breakouts open, without reload.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to, organiser_call


def roster(staged: StagedMeeting) -> list[dict[str, Any]]:
    entries = organiser_call(staged, "GET", f"/api/meetings/{staged.meeting_id}/participants")
    assert isinstance(entries, list)
    return entries


@pytest.fixture
def rooms_restored(staged: StagedMeeting) -> Any:
    """Put everyone back in the room the staging gave them: other tests read the staged rooms."""
    yield
    bring_to(staged, "plenary")
    for entry in staged.roster:
        if entry["role"] == "participant":
            organiser_call(staged, "POST", f"/api/participants/{entry['id']}/move", {"room_id": entry["room_id"]})


async def test_balanced_preview_then_apply_is_seen_on_phones(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path, rooms_restored: Any
) -> None:
    bring_to(staged, "plenary")
    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    phones: dict[str, Person] = {}
    for entry in (staged.participants_of("Room 1")[0], staged.participants_of("Room 4")[1]):
        phone = await open_person(browser, entry["display_name"], phone=True)
        people.append(phone)
        await join_with_link(phone, staged.personal_link(entry["id"]))
        await expect(phone.page.get_by_text("Now: Plenary")).to_be_visible()
        phones[entry["id"]] = phone

    console = organiser.page
    await console.get_by_test_id("tab-people").click()
    before = {entry["id"]: entry["room_id"] for entry in roster(staged)}
    await console.get_by_role("button", name="Preview balanced rooms").click()
    table = console.get_by_test_id("balance-preview")
    await expect(table.locator("tbody tr")).to_have_count(len(staged.rooms))
    await expect(table.locator("caption")).to_have_text(re.compile(r"\d+ (people|person) would"))
    await expect(table).to_contain_text("Female")
    await console.screenshot(path=artifacts / "balanced-preview-console.png", full_page=True)
    # The preview wrote nothing.
    assert {entry["id"]: entry["room_id"] for entry in roster(staged)} == before

    counts = [int(text.split(" / ")[0]) for text in await table.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    names = await table.locator("tbody th").all_inner_texts()
    await console.get_by_role("button", name="Apply this assignment").click()
    await expect(console.get_by_text(re.compile(r"Applied: \d+"))).to_be_visible()
    after = roster(staged)
    participants = [entry for entry in after if entry["role"] == "participant" and entry["erased_at"] is None]
    room_names = {room_id: name for name, room_id in staged.rooms.items()}
    placed = [room_names[entry["room_id"]] for entry in participants]
    assert [placed.count(name) for name in names] == counts
    await console.screenshot(path=artifacts / "balanced-applied-console.png", full_page=True)

    bring_to(staged, "breakouts")
    new_room = {entry["id"]: room_names[entry["room_id"]] for entry in participants}
    for entry_id, phone in phones.items():
        await expect(phone.page.get_by_test_id("room-name")).to_have_text(new_room[entry_id])
        await phone.page.screenshot(path=artifacts / f"balanced-phone-{new_room[entry_id].replace(' ', '-')}.png")
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)
