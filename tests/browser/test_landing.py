"""People who arrive with the meeting's code or its open join link land in the room the organiser
puts them in, live, with no reload: placed during the plenary (they are in their room when the
breakouts open) or during the breakouts, moved to another room and back.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.pages import Person, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to, organiser_call

NOT_IN_A_ROOM = "You are not in a breakout room"
NO_QUESTION_YET = "No question is open in your room yet."


async def join_with_code(person: Person, base_url: str, code: str, name: str) -> None:
    """Type the meeting code and a name on the start page, as the demo prints the code."""
    await person.page.goto(f"{base_url}/")
    await person.page.get_by_label("Meeting code").fill(code)
    await person.page.get_by_label("Your name").fill(name)
    await person.page.get_by_role("button", name="Join").click()
    await person.page.wait_for_url("**/meeting/**")


async def join_with_open_link(person: Person, url: str, name: str) -> None:
    await person.page.goto(url)
    await person.page.get_by_label("Your name").fill(name)
    await person.page.get_by_role("button", name="Join").click()
    await person.page.wait_for_url("**/meeting/**")


async def place(console: Page, name: str, room: str) -> None:
    """The organiser puts someone in a room from the People tab."""
    await console.get_by_test_id("tab-people").click()
    await console.get_by_label(f"Room of {name}", exact=True).select_option(label=room)


async def expect_in_room(phone: Page, room: str) -> None:
    await expect(phone.get_by_test_id("room-name")).to_have_text(room)
    await expect(phone.get_by_text(NOT_IN_A_ROOM)).to_have_count(0)
    # The room's own content, not a room heading over "Loading…".
    await expect(phone.get_by_role("status").filter(has_text="Loading")).to_have_count(0)


async def open_console(browser: Browser, staged: StagedMeeting, people: list[Person]) -> Page:
    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    return organiser.page


async def open_phones(browser: Browser, staged: StagedMeeting, people: list[Person]) -> dict[str, Person]:
    """One phone joins with the code, one with the open join link; both start in no room."""
    suffix = uuid.uuid4().hex[:6]
    by_code = await open_person(browser, f"Code joiner {suffix}", phone=True)
    by_link = await open_person(browser, f"Link joiner {suffix}", phone=True)
    people.extend([by_code, by_link])
    await join_with_code(by_code, staged.base_url, staged.links.join_code, by_code.name)
    await join_with_open_link(by_link, staged.links.participant_join_link, by_link.name)
    return {"code": by_code, "link": by_link}


async def test_walk_ins_placed_during_the_plenary_are_in_their_rooms_when_breakouts_open(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "plenary")
    console = await open_console(browser, staged, people)
    phones = await open_phones(browser, staged, people)
    for phone in phones.values():
        await expect(phone.page.get_by_text("Now: Plenary")).to_be_visible()

    await place(console, phones["code"].name, "Room 3")
    await place(console, phones["link"].name, "Room 4")
    await console.screenshot(path=artifacts / "landing-console-placed-in-plenary.png", full_page=True)

    bring_to(staged, "breakouts")
    await expect_in_room(phones["code"].page, "Room 3")
    await expect_in_room(phones["link"].page, "Room 4")
    await expect(
        phones["code"].page.get_by_text(NO_QUESTION_YET).or_(phones["code"].page.get_by_test_id("live-question"))
    ).to_be_visible()
    await phones["code"].page.screenshot(path=artifacts / "landing-code-joiner-in-room.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)


async def test_walk_ins_placed_together_during_breakouts_land_live_and_follow_a_move_and_back(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    console = await open_console(browser, staged, people)
    phones = await open_phones(browser, staged, people)
    for phone in phones.values():
        await expect(phone.page.get_by_text(NOT_IN_A_ROOM)).to_be_visible()
    await phones["link"].page.screenshot(path=artifacts / "landing-link-joiner-no-room.png", full_page=True)

    # The People tab's tray: who is online without a room, and both moved in one go.
    await console.get_by_test_id("tab-people").click()
    count = console.get_by_test_id("unassigned-count")
    await expect(count).to_contain_text("Online without a room: 2")
    tray = console.get_by_test_id("unassigned-tray")
    for phone in phones.values():
        await tray.get_by_role("checkbox", name=re.compile(re.escape(phone.name))).check()
    await expect(console.get_by_text("Selected: 2")).to_be_visible()
    await console.screenshot(path=artifacts / "landing-console-unassigned-tray.png", full_page=True)
    await console.get_by_label("Move the selected people to").select_option(label="Room 5")
    await console.get_by_role("button", name="Move", exact=True).click()
    await expect_in_room(phones["code"].page, "Room 5")
    await expect_in_room(phones["link"].page, "Room 5")
    await expect(count).to_contain_text("Online without a room: 0")
    await expect(console.get_by_text("Selected: 0")).to_be_visible()
    await phones["link"].page.screenshot(path=artifacts / "landing-link-joiner-in-room.png", full_page=True)

    # To another room and back to the one they were in before: each time the room's own screen.
    link = phones["link"].page
    await place(console, phones["link"].name, "Room 6")
    await expect_in_room(link, "Room 6")
    await expect(link.get_by_text(NO_QUESTION_YET).or_(link.get_by_test_id("live-question"))).to_be_visible()
    await place(console, phones["link"].name, "Room 5")
    await expect_in_room(link, "Room 5")
    await expect(link.get_by_text(NO_QUESTION_YET).or_(link.get_by_test_id("live-question"))).to_be_visible()
    await link.screenshot(path=artifacts / "landing-moved-back.png", full_page=True)

    # Out of every room: the phone says so, live, and the tray counts them again.
    await console.get_by_label(f"Room of {phones['code'].name}", exact=True).select_option(value="")
    await expect(phones["code"].page.get_by_text(NOT_IN_A_ROOM)).to_be_visible()
    await expect(count).to_contain_text("Online without a room: 1")
    await console.screenshot(path=artifacts / "landing-console-people.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)


async def test_a_roster_person_joining_with_the_code_is_their_roster_entry_not_a_second_person(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    entry = staged.participants_of("Room 6")[-1]
    name = str(entry["display_name"])
    console = await open_console(browser, staged, people)
    phone = await open_person(browser, name, phone=True)
    people.append(phone)

    await phone.page.goto(f"{staged.base_url}/")
    await phone.page.get_by_label("Meeting code").fill(staged.links.join_code)
    await phone.page.get_by_label("Your name").fill(name)
    await phone.page.get_by_label("Email").fill(str(entry["email"]).upper())
    await phone.page.screenshot(path=artifacts / "landing-code-join-with-email.png", full_page=True)
    await phone.page.get_by_role("button", name="Join").click()
    await phone.page.wait_for_url("**/meeting/**")

    # Straight into the room the roster gives them, as the roster entry.
    await expect_in_room(phone.page, "Room 6")
    await phone.page.screenshot(path=artifacts / "landing-roster-person-in-room.png", full_page=True)
    await console.get_by_test_id("tab-people").click()
    rows = console.get_by_role("row").filter(has=console.get_by_role("rowheader", name=name))
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("online")
    await console.screenshot(path=artifacts / "landing-console-one-roster-entry.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)


async def test_the_organiser_matches_a_walk_in_to_the_roster_in_one_step(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    entry = staged.participants_of("Room 2")[-1]
    name = str(entry["display_name"])
    walk_in_name = name.split()[0]  # typed without an address, so the join cannot know who it is
    console = await open_console(browser, staged, people)
    phone = await open_person(browser, walk_in_name, phone=True)
    people.append(phone)
    await join_with_code(phone, staged.base_url, staged.links.join_code, walk_in_name)
    await expect(phone.page.get_by_text(NOT_IN_A_ROOM)).to_be_visible()

    await console.get_by_test_id("tab-people").click()
    await console.get_by_label("Who joined").select_option(label=f"{walk_in_name} · No room · Walk-in: joined by code")
    await console.get_by_label("is on the roster as").select_option(label=f"{name} · {entry['organisation']} · Room 2")
    await console.screenshot(path=artifacts / "landing-console-match.png", full_page=True)
    await console.get_by_role("button", name="Match", exact=True).click()
    await expect(console.get_by_role("status").filter(has_text=f"Matched: {name} is one person now.")).to_be_visible()

    # One person, online, in the roster's room; the phone follows without a reload, as them.
    rows = console.get_by_role("row").filter(has=console.get_by_role("rowheader", name=name))
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("online")
    await expect(console.get_by_role("rowheader", name=walk_in_name, exact=True)).to_have_count(0)
    await expect_in_room(phone.page, "Room 2")
    await expect(phone.page.get_by_text(f"You are {name}")).to_be_visible()
    await phone.page.screenshot(path=artifacts / "landing-matched-phone.png", full_page=True)
    await console.screenshot(path=artifacts / "landing-console-matched.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)


async def test_walk_ins_placed_by_balanced_assignment_and_by_their_own_choice_land_in_their_rooms(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    """A meeting of its own (reshuffling the staged one would move the other tests' people)."""
    meeting = organiser_call(staged, "POST", "/api/meetings", {"title": "Balanced walk-ins", "languages": ["en"]})
    assert isinstance(meeting, dict)
    meeting_id = str(meeting["id"])
    rooms = {}
    for name in ("North", "South"):
        room = organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/rooms", {"name": name})
        assert isinstance(room, dict)
        rooms[str(room["id"])] = name
    for phase in ("lobby", "plenary"):
        organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/phase", {"phase": phase})
    invite = organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/invites", {"role": "participant"})
    assert isinstance(invite, dict)
    suffix = uuid.uuid4().hex[:6]
    by_code = await open_person(browser, f"Balanced by code {suffix}", phone=True)
    by_link = await open_person(browser, f"Balanced by link {suffix}", phone=True)
    people.extend([by_code, by_link])
    await join_with_code(by_code, staged.base_url, str(meeting["join_code"]), by_code.name)
    await join_with_open_link(by_link, str(invite["url"]), by_link.name)
    for phone in (by_code, by_link):
        await expect(phone.page.get_by_text("Now: Plenary")).to_be_visible()

    organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/assignment", {"mode": "balanced", "seed": 11})
    roster = organiser_call(staged, "GET", f"/api/meetings/{meeting_id}/participants")
    assert isinstance(roster, list)
    room_of = {entry["display_name"]: rooms[entry["room_id"]] for entry in roster}
    # The phone that joined with the link then chooses the other room itself.
    organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/assignment", {"mode": "self_select"})
    other = next(room_id for room_id, name in rooms.items() if name != room_of[by_link.name])
    chosen = await by_link.page.evaluate(
        "async (roomId) => (await fetch(`/api/rooms/${roomId}/select`, {method: 'POST'})).status", other
    )
    assert chosen == 200
    organiser_call(staged, "POST", f"/api/meetings/{meeting_id}/phase", {"phase": "breakouts"})

    await expect_in_room(by_code.page, room_of[by_code.name])
    await expect_in_room(by_link.page, rooms[other])
    await by_link.page.screenshot(path=artifacts / "landing-self-selected-room.png", full_page=True)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)
