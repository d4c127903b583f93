"""Raise hand: a phone in a breakout room raises a hand; its moderator sees who and since when,
marks it "being handled" and answers it; the organiser's rooms overview counts the room's raised
hands; the phone follows each step without reload, and no other phone learns of it.

Every wait is on what the person would see; screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, bring_to


async def test_a_phone_raises_its_hand_the_moderator_handles_and_clears_it(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    organiser = await open_person(browser, "organiser")
    phone = await open_person(browser, "Room 2 participant", phone=True)
    peer = await open_person(browser, "Room 2 peer", phone=True)
    moderator = await open_person(browser, "Room 2 moderator", phone=True)
    elsewhere_moderator = await open_person(browser, "Room 3 moderator", phone=True)
    people.extend([organiser, phone, peer, moderator, elsewhere_moderator])
    raiser, other = staged.participants_of("Room 2")[:2]
    await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
    await join_with_link(phone, staged.personal_link(raiser["id"]))
    await join_with_link(peer, staged.personal_link(other["id"]))
    await join_with_link(moderator, staged.moderator_link("Room 2"))
    await join_with_link(elsewhere_moderator, staged.moderator_link("Room 3"))
    await expect(phone.page.get_by_test_id("room-name")).to_have_text("Room 2")
    await expect(peer.page.get_by_test_id("room-name")).to_have_text("Room 2")
    await expect(moderator.page.get_by_test_id("moderator-room")).to_have_text("Room 2")
    await expect(elsewhere_moderator.page.get_by_test_id("moderator-room")).to_have_text("Room 3")
    hands = moderator.page.get_by_test_id("raised-hands")
    await expect(hands).to_contain_text("No hands raised.")

    raise_button = phone.page.get_by_role("button", name="Raise hand")
    await raise_button.click()
    await expect(phone.page.get_by_test_id("hand-state")).to_have_text(
        "Your hand is raised. Your moderator will come to you."
    )
    await expect(phone.page.get_by_role("button", name="Lower hand")).to_have_attribute("aria-pressed", "true")
    await phone.page.screenshot(path=artifacts / "raise-hand-phone-raised.png", full_page=True)

    # The room's moderator sees the name and the time, live.
    entry = hands.get_by_test_id("raised-hand")
    await expect(entry).to_have_count(1)
    await expect(entry).to_contain_text(raiser["display_name"])
    await expect(entry).to_contain_text("raised at")
    # The organiser's rooms overview counts Room 2's raised hand.
    card = organiser.page.get_by_test_id("room-card").filter(has_text="Room 2")
    await expect(card.get_by_test_id("room-hands")).to_have_text("1 raised hand")
    await organiser.page.screenshot(path=artifacts / "raise-hand-console.png", full_page=True)

    await entry.get_by_role("button", name="Being handled").click()
    await expect(phone.page.get_by_test_id("hand-state")).to_have_text(
        "Your moderator has seen your hand and is on it."
    )
    await expect(entry).to_contain_text("Being handled")
    await moderator.page.screenshot(path=artifacts / "raise-hand-moderator.png", full_page=True)

    await entry.get_by_role("button", name="Done").click()
    await expect(phone.page.get_by_test_id("hand-state")).to_have_text("Your moderator answered your raised hand.")
    await expect(phone.page.get_by_role("button", name="Raise hand")).to_have_attribute("aria-pressed", "false")
    await expect(hands.get_by_test_id("raised-hand")).to_have_count(0)
    await expect(card.get_by_test_id("room-hands")).to_have_count(0)
    await phone.page.screenshot(path=artifacts / "raise-hand-phone-answered.png", full_page=True)

    # Raised again and lowered by its owner: gone from the moderator's list.
    await phone.page.get_by_role("button", name="Raise hand").click()
    await expect(hands.get_by_test_id("raised-hand")).to_have_count(1)
    await phone.page.get_by_role("button", name="Lower hand").click()
    await expect(hands.get_by_test_id("raised-hand")).to_have_count(0)
    await expect(phone.page.get_by_role("button", name="Raise hand")).to_be_visible()

    # Nobody else's screen names the hand: not a peer in the room, not another room's moderator.
    for person in (peer, elsewhere_moderator):
        assert raiser["display_name"] not in await person.page.content()
    await expect(peer.page.get_by_test_id("hand-state")).to_have_count(0)
    await expect(elsewhere_moderator.page.get_by_test_id("raised-hand")).to_have_count(0)
    for person in people:
        assert person.console_errors == [], (person.name, person.console_errors)
