"""Self-selection: the organiser switches the console to self-select; phones list the rooms with
the places left, live; a full room cannot be chosen, and a choice made on a stale view is refused
with "Room is full"; the console shows who sits where.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from playwright.async_api import Browser, Route, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.small_meeting import SmallMeeting, small_meeting
from tests.browser.staging import StagedMeeting


def roster_link(meeting: SmallMeeting, name: str) -> tuple[str, str]:
    """A participant in no room yet, and their personal link."""
    entry = meeting.call("POST", f"/api/meetings/{meeting.meeting_id}/participants", {"display_name": name})
    invite = meeting.call(
        "POST", f"/api/meetings/{meeting.meeting_id}/invites", {"role": "participant", "participant_id": entry["id"]}
    )
    return str(entry["id"]), str(invite["url"])


async def test_phones_choose_rooms_up_to_capacity_and_the_console_shows_them(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, f"Self-select {uuid.uuid4().hex[:4]}")
    meeting.call("PATCH", f"/api/rooms/{meeting.rooms['Room 1']}", {"capacity": 1})
    meeting.phase("lobby")
    names = {key: f"{key} Picks {uuid.uuid4().hex[:3]}" for key in ("Amina", "Bilal", "Chen")}
    links = {key: roster_link(meeting, name) for key, name in names.items()}
    organiser = await open_person(browser, "organiser")
    amina = await open_person(browser, "Amina", phone=True)
    bilal = await open_person(browser, "Bilal", phone=True)
    people.extend([organiser, amina, bilal])
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    await join_with_link(amina, links["Amina"][1])
    await join_with_link(bilal, links["Bilal"][1])
    await expect(amina.page.get_by_test_id("room-picker")).to_have_count(0)

    # The organiser switches to self-select: the phones get the picker without reload.
    console = organiser.page
    await console.get_by_test_id("tab-people").click()
    await console.get_by_label("Self-select: people choose on their phones").check()
    seats = console.get_by_test_id("self-select-seats")
    await expect(seats).to_contain_text("Room 1: 0 of 1 places taken")
    for phone in (amina, bilal):
        room_1 = phone.page.get_by_test_id("picker-room").filter(has_text="Room 1")
        await expect(room_1.get_by_test_id("places-left")).to_have_text("1 place left")
    await amina.page.screenshot(path=artifacts / "self-select-phone-picker.png", full_page=True)

    # Amina takes Room 1's only place: Bilal's phone shows it full at once.
    await amina.page.get_by_role("button", name="Choose Room 1").click()
    await expect(amina.page.get_by_test_id("picker-room").filter(has_text="Room 1")).to_contain_text("Your room")
    bilal_room_1 = bilal.page.get_by_test_id("picker-room").filter(has_text="Room 1")
    await expect(bilal_room_1.get_by_test_id("places-left")).to_have_text("Full")
    await expect(bilal.page.get_by_role("button", name="Choose Room 1")).to_be_disabled()
    await bilal.page.screenshot(path=artifacts / "self-select-phone-full.png", full_page=True)
    await bilal.page.get_by_role("button", name="Choose Room 2").click()
    await expect(bilal.page.get_by_test_id("picker-room").filter(has_text="Room 2")).to_contain_text("Your room")

    # A phone whose view is stale (it read the seats before Amina chose) is refused by the server.
    chen = await open_person(browser, "Chen", phone=True)
    people.append(chen)
    stale = [
        {"room_id": room_id, "seats_taken": 0, "capacity": 1 if name == "Room 1" else None}
        for name, room_id in meeting.rooms.items()
    ]
    served: list[str] = []

    async def stale_once(route: Route) -> None:
        if served:
            await route.continue_()
            return
        served.append(route.request.url)
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(stale))

    await chen.page.route("**/api/meetings/*/seats", stale_once)
    await join_with_link(chen, links["Chen"][1])
    await expect(chen.page.get_by_test_id("picker-room").filter(has_text="Room 1")).to_contain_text("1 place left")
    await chen.page.get_by_role("button", name="Choose Room 1").click()
    await expect(chen.page.get_by_role("alert")).to_have_text("Room is full: Room 1. Choose another room.")
    await expect(chen.page.get_by_test_id("picker-room").filter(has_text="Room 1")).to_contain_text("Full")
    await chen.page.screenshot(path=artifacts / "self-select-phone-refused.png", full_page=True)

    # The console shows who chose which room, and the seats taken.
    await expect(seats).to_contain_text("Room 1: 1 of 1 places taken")
    await expect(seats).to_contain_text("Room 2: 1 chose it")
    await expect(console.get_by_label(f"Room of {names['Amina']}", exact=True)).to_have_value(meeting.rooms["Room 1"])
    await expect(console.get_by_label(f"Room of {names['Bilal']}", exact=True)).to_have_value(meeting.rooms["Room 2"])
    await console.screenshot(path=artifacts / "self-select-console.png", full_page=True)
    assert served, "the stale view was served"
    refused = [error for error in chen.console_errors if "409" in error]
    assert len(refused) == 1 and chen.console_errors == refused, chen.console_errors
    for person in (organiser, amina, bilal):
        assert person.console_errors == [], (person.name, person.console_errors)
