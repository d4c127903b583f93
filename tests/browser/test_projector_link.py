"""The projector link: the console makes it, a computer with no session opens present mode with it
at 1280x720 and 1920x1080 (nothing outside the screen, no scrolling), the join QR code in the lobby
and the plenary, a room's live chart during the breakouts, the report-back paged from the console
and followed by the projector and a phone, room by room and theme by theme (a shared question's
cross-room groups); revoked, the projector says so."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.pages import Person, join_with_link, open_person, sign_in_organiser
from tests.browser.small_meeting import SmallMeeting, small_meeting
from tests.browser.staging import StagedMeeting

SIZES = ((1280, 720), (1920, 1080))
OPTIONS = [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}]
FINDINGS = (
    "Ratify the protocol within a year",
    "Treat smuggled migrants as victims, not criminals",
    "Train prosecutors, judges and border officers in financial investigation, digital evidence and "
    "witness protection, in joint courses with the neighbouring countries, so that a smuggling network "
    "that crosses three borders meets investigators who already know each other and share one method",
    "Fund awareness campaigns in source villages",
)

# Every element the page shows, with its box: those reaching outside the viewport, and whether
# the document scrolls at all.
OUTSIDE_VIEWPORT = """() => {
  const width = window.innerWidth, height = window.innerHeight;
  const outside = [];
  for (const element of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    for (const box of element.getClientRects()) {
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -1 || box.top < -1 || box.right > width + 1 || box.bottom > height + 1) {
        outside.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.right)},${Math.round(box.bottom)}`);
      }
    }
  }
  const root = document.scrollingElement;
  return { outside, scrolls: root.scrollHeight > height + 1 || root.scrollWidth > width + 1 };
}"""


async def fits_each_size(page: Page, phase: str, artifacts: Path) -> None:
    """At each projector size: everything inside the screen; a screenshot of the phase."""
    for width, height in SIZES:
        await page.set_viewport_size({"width": width, "height": height})
        await expect(page.get_by_test_id("present")).to_have_attribute("data-phase", phase)
        checked = await page.evaluate(OUTSIDE_VIEWPORT)
        assert checked == {"outside": [], "scrolls": False}, (phase, width, checked)
        await page.screenshot(path=artifacts / f"projector-{phase}-{width}x{height}.png")


def answer_as(staged: StagedMeeting, invite_url: str, room_id: str, question_id: str, text: str) -> None:
    """Someone answering from a device of their own, through the API (a session from their link)."""
    token = invite_url.rsplit("/", 1)[1]
    opened = httpx.post(f"{staged.base_url}/api/invites/{token}/open", json={"session_delivery": "token"}, timeout=10)
    opened.raise_for_status()
    answered = httpx.post(
        f"{staged.base_url}/api/rooms/{room_id}/questions/{question_id}/answers",
        json={"client_id": f"answer-{room_id[:8]}", "text": text},
        headers={"authorization": f"Bearer {opened.json()['token']}"},
        timeout=10,
    )
    answered.raise_for_status()


def add_findings(meeting: SmallMeeting, room: str) -> None:
    """The findings, each citing the room's answers (a projector shows the most supported two)."""
    answers = [answer["id"] for answer in meeting.call("GET", f"/api/rooms/{meeting.rooms[room]}/answers")]
    for text in FINDINGS:
        body = {"text": text, "answer_ids": answers}
        finding = meeting.call("POST", f"/api/rooms/{meeting.rooms[room]}/findings", body)
        meeting.call("POST", f"/api/findings/{finding['id']}/propose")
        meeting.call("POST", f"/api/findings/{finding['id']}/confirm")


async def test_the_projector_link_presents_every_phase_and_follows_the_console(
    browser: Browser, staged: StagedMeeting, people: list[Person], artifacts: Path
) -> None:
    meeting = small_meeting(staged, "Projector link")
    question = meeting.call(
        "POST",
        f"/api/meetings/{meeting.meeting_id}/questions",
        {"code": "P1", "text": "Should the country ratify the protocol?", "kind": "single_choice", "options": OPTIONS},
    )
    meeting.call("PUT", f"/api/questions/{question['id']}/allocations", {"room_ids": [meeting.rooms["Room 1"]]})
    meeting.questions["P1"] = str(question["id"])
    amina_link = meeting.person("Amina Rahman", "Room 1")
    # Q1 is asked in both rooms: the theme-by-theme walk shows its cross-room groups.
    voices = {room: meeting.person(f"Voice of {room}", room) for room in ("Room 1", "Room 2")}
    meeting.phase("lobby")

    organiser = await open_person(browser, "organiser")
    people.append(organiser)
    await sign_in_organiser(organiser, staged.organiser_link(), meeting.meeting_id)
    console = organiser.page
    await console.get_by_test_id("projector-link-make").click()
    link = await console.get_by_test_id("projector-link").get_attribute("href")
    assert link is not None and "/present/" in link

    # The projector's computer: no session, no cookie of anyone's.
    context: BrowserContext = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-GB")
    projector = await context.new_page()
    projector_errors: list[str] = []
    projector.on("console", lambda message: projector_errors.append(message.text) if message.type == "error" else None)
    try:
        await projector.goto(link)
        await expect(projector.get_by_test_id("present-qr")).to_be_visible()
        join_code = meeting.call("GET", f"/api/meetings/{meeting.meeting_id}")["join_code"]
        await expect(projector.get_by_test_id("present-code")).to_have_text(f"Code {join_code}")
        # No app chrome: no skip link, no header with the language switch and the sign-in state.
        await expect(projector.locator("a.skip")).to_have_count(0)
        await expect(projector.get_by_role("button", name="Switch the interface language to বাংলা")).to_have_count(0)
        await fits_each_size(projector, "lobby", artifacts)

        meeting.phase("plenary")
        await expect(projector.get_by_test_id("present-qr")).to_be_visible()
        meeting.broadcast("Coffee is served at the back")
        await expect(projector.get_by_test_id("present-broadcast")).to_contain_text("Coffee is served at the back")
        await fits_each_size(projector, "plenary", artifacts)

        amina = await open_person(browser, "Amina", phone=True)
        people.append(amina)
        await join_with_link(amina, amina_link)
        meeting.phase("breakouts")
        meeting.push("P1", "Room 1")
        await amina.page.get_by_label("Yes", exact=True).check()
        await amina.page.get_by_role("button", name="Send answer").click()
        meeting.call("PUT", f"/api/meetings/{meeting.meeting_id}/plenary/focus", {"room_id": meeting.rooms["Room 1"]})
        results = projector.get_by_test_id("present-room-results")
        await expect(results).to_contain_text("Should the country ratify the protocol?")
        yes = results.get_by_test_id("results-row").and_(projector.locator("[data-key='yes']"))
        await expect(yes).to_have_attribute("data-count", "1")
        await expect(yes).to_contain_text("100%")
        await fits_each_size(projector, "breakouts", artifacts)
        meeting.call("PUT", f"/api/meetings/{meeting.meeting_id}/plenary/focus", {})
        await expect(projector.get_by_test_id("present-room-card")).to_have_count(1)
        await expect(projector.get_by_test_id("present-room-card")).to_contain_text("1 answered")
        checked = await projector.evaluate(OUTSIDE_VIEWPORT)
        assert checked == {"outside": [], "scrolls": False}, checked

        # --- report-back: the console pages, the projector and the phone follow ----------------
        meeting.call("POST", f"/api/rooms/{meeting.rooms['Room 1']}/questions/{meeting.questions['P1']}/close")
        for room, link_of_voice in voices.items():
            meeting.push("Q1", room)
            answer_as(staged, link_of_voice, meeting.rooms[room], meeting.questions["Q1"], "Ratify the protocol")
        add_findings(meeting, "Room 1")
        meeting.phase("report_back", countdown_s=0)
        await expect(projector.get_by_test_id("present")).to_have_attribute("data-phase", "report_back")
        next_page = console.get_by_test_id("next-page")
        await next_page.click()
        for screen in (projector, amina.page):
            await expect(screen.get_by_test_id("plenary-room")).to_have_text("Room 1")
            await expect(screen.get_by_test_id("plenary-page")).to_have_attribute("data-page", "0")
            await expect(screen.get_by_test_id("plenary-finding")).to_have_count(3)
        await expect(console.get_by_test_id("projector-position")).to_contain_text("Room 1, page 1 of 2")
        await fits_each_size(projector, "report_back", artifacts)
        await next_page.click()
        for screen in (projector, amina.page):
            await expect(screen.get_by_test_id("plenary-page")).to_have_attribute("data-page", "1")
            await expect(screen.get_by_test_id("plenary-finding")).to_have_count(1)
            await expect(screen.get_by_test_id("plenary-finding")).to_contain_text(FINDINGS[3])
        await expect(console.get_by_test_id("projector-position")).to_contain_text("Room 1, page 2 of 2")
        checked = await projector.evaluate(OUTSIDE_VIEWPORT)
        assert checked == {"outside": [], "scrolls": False}, checked

        # The phone pages back on its own, then follows the presenter again.
        await amina.page.get_by_role("button", name="Previous page").click()
        await expect(amina.page.get_by_test_id("plenary-page")).to_have_attribute("data-page", "0")
        await expect(amina.page.get_by_test_id("plenary-view")).to_have_attribute("data-following", "false")
        await expect(projector.get_by_test_id("plenary-page")).to_have_attribute("data-page", "1")
        await amina.page.get_by_test_id("follow-presenter").click()
        await expect(amina.page.get_by_test_id("plenary-page")).to_have_attribute("data-page", "1")
        await amina.page.screenshot(path=artifacts / "participant-phone-report-back-page.png")

        # Theme by theme: the shared question's cross-room groups, on the projector and the phone.
        await projector.set_viewport_size({"width": 1280, "height": 720})
        await console.get_by_test_id("walk-themes").check()
        await expect(console.get_by_test_id("projector-position")).to_contain_text("outside this walk")
        await next_page.click()
        for screen in (projector, amina.page):
            await expect(screen.get_by_test_id("plenary-question-title")).to_contain_text("Q1")
            await expect(screen.get_by_test_id("plenary-group").first).to_contain_text("raised in 2 of 2 rooms")
        await expect(console.get_by_test_id("projector-position")).to_contain_text("Q1, page 1 of 1")
        checked = await projector.evaluate(OUTSIDE_VIEWPORT)
        assert checked == {"outside": [], "scrolls": False}, checked
        # Read from the back of a room: each point in type of at least 26 px on a 720-pixel screen
        # (a phone's body text is 16), in two lines at most.
        label = projector.get_by_test_id("plenary-group").first.locator(".group-label")
        size, lines = await label.evaluate(
            "el => { const s = getComputedStyle(el); return [parseFloat(s.fontSize), parseFloat(s.webkitLineClamp)]; }"
        )
        assert size >= 26 and lines == 2, (size, lines)
        await projector.screenshot(path=artifacts / "projector-report_back-theme-1280x720.png")

        meeting.phase("closed")
        await fits_each_size(projector, "closed", artifacts)

        # --- revoked: the projector says so at once, and so does the link opened afresh --------
        await console.get_by_test_id("projector-link-revoke").click()
        await (
            console.get_by_test_id("projector-link-revoke-dialog")
            .get_by_role("button", name="Revoke the projector link")
            .click()
        )
        await expect(console.get_by_test_id("projector-link-make")).to_be_visible()
        await expect(projector.get_by_test_id("present-revoked")).to_contain_text("This projector link no longer works")
        await projector.goto(link)
        await expect(projector.get_by_test_id("present-revoked")).to_be_visible()
        await projector.screenshot(path=artifacts / "projector-revoked-1920x1080.png")
    finally:
        await context.close()
    assert organiser.csp_violations() == [] and amina.csp_violations() == []
    # The revoked link's reads answer 404 (the browser logs those); nothing else went wrong.
    assert [error for error in projector_errors if "404" not in error] == []
