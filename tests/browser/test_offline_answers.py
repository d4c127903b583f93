"""An answer typed without a connection is kept on the phone, survives a reload, and reaches the
room exactly once when the connection returns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Route, expect

from tests.browser.pages import Person, join_with_link, open_person
from tests.browser.staging import StagedMeeting, bring_to, organiser_call, push_first_question

ANSWER = "Written in a basement with no signal — ঢাকা"
# The transport's backoff is capped at 15 s; after a stretch of failed attempts the next one may
# be that far away.
RECONNECT_TIMEOUT_MS = 40_000


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[Person]:
    person = await open_person(browser, "Room 3 participant", phone=True)
    yield person
    await person.context.close()


async def test_an_answer_typed_offline_survives_a_reload_and_arrives_once(
    phone: Person, staged: StagedMeeting, artifacts: Path
) -> None:
    bring_to(staged, "breakouts")
    question = push_first_question(staged, "Room 3")
    person = staged.participants_of("Room 3")[0]
    page = phone.page
    await join_with_link(phone, staged.personal_link(str(person["id"])))
    await expect(page.get_by_test_id("live-question")).to_have_text(question)

    # No connection, and no way to get one back until the test allows it: every ticket fails.
    async def refuse(route: Route) -> None:
        await route.abort()

    await page.route("**/api/realtime/tickets", refuse)
    await phone.context.set_offline(True)
    await expect(page.get_by_text("You are offline.")).to_be_visible()
    await page.get_by_label("Your answer").fill(ANSWER)
    await page.get_by_role("button", name="Send answer").click()
    await expect(page.get_by_text("Kept on this phone, sent when the connection returns: 1")).to_be_visible()

    await phone.context.set_offline(False)
    await page.reload()
    await expect(page.get_by_text("Waiting to send: 1")).to_be_visible()

    await page.unroute("**/api/realtime/tickets", refuse)
    mine = page.get_by_test_id("answer").filter(has_text=ANSWER)
    await expect(mine).to_have_count(1, timeout=RECONNECT_TIMEOUT_MS)
    await expect(page.get_by_text("Waiting to send")).to_have_count(0)
    await expect(mine).to_contain_text("Yours")
    await page.screenshot(path=artifacts / "participant-phone-after-offline.png", full_page=True)

    answers = organiser_call(staged, "GET", f"/api/rooms/{staged.rooms['Room 3']}/answers")
    assert isinstance(answers, list)
    assert [answer["text"] for answer in answers].count(ANSWER) == 1
    failed_tickets = [text for text in phone.console_errors if "net::ERR_FAILED" in text]
    assert [text for text in phone.console_errors if text not in failed_tickets] == []
