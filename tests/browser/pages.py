"""Opening the app as a person: a browser context per person, console and CSP watching, joining."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, expect

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
# Generous for a 2-core CI machine running a server and seven browser contexts at once.
UI_TIMEOUT_MS = 15_000
expect.set_options(timeout=UI_TIMEOUT_MS)


@dataclass
class Person:
    name: str
    context: BrowserContext
    page: Page
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [
            text
            for text in self.console_errors
            if "Content Security Policy" in text or "Content-Security-Policy" in text
        ]


async def open_person(browser: Browser, name: str, *, phone: bool = False) -> Person:
    context = await browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
    )
    page = await context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    person = Person(name=name, context=context, page=page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            person.console_errors.append(message.text)

    async def on_dialog(dialog: Dialog) -> None:
        person.dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("console", on_console)
    page.on("dialog", on_dialog)
    return person


async def join_with_link(person: Person, url: str) -> None:
    """Open an invite link and press Join (a personal invite needs no name)."""
    await person.page.goto(url)
    await person.page.get_by_role("button", name="Join").click()
    await person.page.wait_for_url("**/meeting/**")


async def sign_in_organiser(person: Person, url: str, meeting_id: str) -> None:
    await person.page.goto(url)
    await person.page.get_by_role("button", name="Sign in as organiser").click()
    await person.page.wait_for_url("**/organiser/**")
    await person.page.goto(f"{url.split('/join/')[0]}/organiser/{meeting_id}")
    await expect(person.page.get_by_role("heading", name="Meeting phase")).to_be_visible()
