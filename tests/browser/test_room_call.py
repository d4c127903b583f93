"""A room's video call link: set in the console's room editor, shown as "Join Room 2's call" to the
people moved into Room 2 and to its moderator, live and without reload; never to another room.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to

CALL = "https://meet.example.org/breakouts-room-2"
JOIN_ROOM_2 = "Join Room 2\u2019s call"


async def set_call_link(console: Page, room: str, url: str) -> None:
    await console.get_by_test_id("tab-prepare").click()
    await console.get_by_role("button", name=f"Edit {room}", exact=True).click()
    form = console.get_by_role("form", name=f"Edit {room}", exact=True)
    field = form.get_by_label("Video call link (optional)")
    await expect(form.get_by_role("button", name="Save the room")).to_be_enabled()
    await field.fill(url)
    await form.get_by_role("button", name="Save the room").click()
    await expect(form).to_have_count(0)


async def test_the_call_link_is_seen_in_its_room_and_by_its_moderator_not_in_another_room(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    organiser = await open_person(browser, "organiser")
    inside = await open_person(browser, "Room 2 participant", phone=True)
    elsewhere = await open_person(browser, "Room 3 participant", phone=True)
    moderator = await open_person(browser, "Room 2 moderator", phone=True)
    people.extend([organiser, inside, elsewhere, moderator])
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    await join_with_link(inside, staged.personal_link(staged.participants_of("Room 2")[0]["id"]))
    await join_with_link(elsewhere, staged.personal_link(staged.participants_of("Room 3")[0]["id"]))
    await join_with_link(moderator, staged.moderator_link("Room 2"))
    await expect(inside.page.get_by_test_id("room-name")).to_have_text("Room 2")
    await expect(elsewhere.page.get_by_test_id("room-name")).to_have_text("Room 3")
    await expect(moderator.page.get_by_test_id("moderator-room")).to_have_text("Room 2")

    # A link that is not a web address is refused with the server's message; nothing is saved.
    console = organiser.page
    await console.get_by_test_id("tab-prepare").click()
    await console.get_by_role("button", name="Edit Room 2", exact=True).click()
    form = console.get_by_role("form", name="Edit Room 2", exact=True)
    await expect(form.get_by_role("button", name="Save the room")).to_be_enabled()
    await form.get_by_label("Video call link (optional)").fill("javascript:alert(1)")
    await form.evaluate("form => form.noValidate = true")
    await form.get_by_role("button", name="Save the room").click()
    await expect(form.get_by_role("alert")).to_contain_text("https://")
    await console.screenshot(path=artifacts / "room-call-refused.png", full_page=True)
    await form.get_by_role("button", name="Cancel").click()

    # Set while everyone is already in their room: the link appears without reload.
    await set_call_link(console, "Room 2", CALL)
    await console.screenshot(path=artifacts / "room-call-console.png", full_page=True)
    for page in (inside.page, moderator.page):
        link = page.get_by_role("link", name=JOIN_ROOM_2)
        await expect(link).to_be_visible()
        await expect(link).to_have_attribute("href", CALL)
        await expect(link).to_have_attribute("target", "_blank")
        await expect(link).to_have_attribute("rel", "noopener noreferrer")
    await inside.page.screenshot(path=artifacts / "room-call-phone-room-2.png", full_page=True)
    await moderator.page.screenshot(path=artifacts / "room-call-moderator-room-2.png", full_page=True)
    await expect(elsewhere.page.get_by_test_id("room-call-link")).to_have_count(0)
    assert CALL not in await elsewhere.page.content()
    await elsewhere.page.screenshot(path=artifacts / "room-call-phone-room-3.png", full_page=True)

    # Moved into Room 2, the other phone is given the link; removing it takes it off every screen.
    await console.get_by_test_id("tab-people").click()
    await console.get_by_label(
        f"Room of {staged.participants_of('Room 3')[0]['display_name']}", exact=True
    ).select_option(label="Room 2")
    await expect(elsewhere.page.get_by_test_id("room-name")).to_have_text("Room 2")
    await expect(elsewhere.page.get_by_role("link", name=JOIN_ROOM_2)).to_have_attribute("href", CALL)
    await set_call_link(console, "Room 2", "")
    for page in (inside.page, moderator.page, elsewhere.page):
        await expect(page.get_by_test_id("room-call-link")).to_have_count(0)
    # The one refused save is the organiser's only failed request.
    refused = [error for error in organiser.console_errors if "422" in error]
    assert len(refused) == 1, organiser.console_errors
    for person in people:
        errors = [error for error in person.console_errors if error not in refused]
        assert errors == [], (person.name, person.console_errors)
