"""`make run PORT=8080`: the server is told only its public address (the Makefile exports
BREAKOUTS_PUBLIC_BASE_URL), not BREAKOUTS_ALLOWED_ORIGINS, whose default names port 8000. Its own
pages must still open their socket: the organiser's console and a phone that typed the code both
connect and follow the meeting live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.conftest import LiveServer, serve
from tests.browser.pages import open_person, sign_in_organiser
from tests.browser.staging import StagedMeeting, organiser_call, stage


@pytest.fixture
def make_run_server(tmp_path: Path) -> Iterator[LiveServer]:
    with serve(tmp_path, allowed_origins=False) as server:
        yield server


async def test_the_pages_connect_on_a_port_other_than_8000(
    browser: Browser, make_run_server: LiveServer, artifacts: Path
) -> None:
    assert "BREAKOUTS_ALLOWED_ORIGINS" not in make_run_server.environment
    assert not make_run_server.base_url.endswith(":8000")
    staged: StagedMeeting = stage(make_run_server)

    organiser = await open_person(browser, "organiser")
    phone = await open_person(browser, "Walk-in", phone=True)
    try:
        await sign_in_organiser(organiser, staged.organiser_link(), staged.meeting_id)
        await expect(organiser.page.get_by_role("status").filter(has_text="Connected")).to_be_visible()

        await phone.page.goto(f"{staged.base_url}/")
        await phone.page.get_by_label("Meeting code").fill(staged.links.join_code)
        await phone.page.get_by_label("Your name").fill("Walk-in")
        await phone.page.get_by_role("button", name="Join").click()
        await phone.page.wait_for_url("**/meeting/**")
        await expect(phone.page.get_by_role("status").filter(has_text="Connected")).to_be_visible()

        # Live: the organiser opens the lobby and the phone follows without a reload.
        organiser_call(staged, "POST", f"/api/meetings/{staged.meeting_id}/phase", {"phase": "lobby"})
        await expect(phone.page.get_by_text("Now: Waiting to start")).to_be_visible()
        await phone.page.screenshot(path=artifacts / "other-port-phone-lobby.png", full_page=True)
        sockets_refused = [text for text in phone.console_errors + organiser.console_errors if "WebSocket" in text]
        assert sockets_refused == []
    finally:
        await organiser.context.close()
        await phone.context.close()
