"""Accessibility checks for the browser tests: axe-core (the npm package the frontend installs as a
development dependency) injected into the page under test and run against the WCAG 2.0, 2.1 and
2.2 level A and AA rules.

axe is injected through the DevTools protocol (``page.evaluate``), which the page's
Content-Security-Policy does not govern, so the page runs under the same policy as in production.
``assert_accessible`` checks the page as it is now; ``assert_accessible_in_each_language`` checks
it in English and in Bengali, switching with the header's language buttons as a person would, and
leaves it in the language it found it in.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, ViewportSize, expect

AXE_SOURCE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# axe's tags for the WCAG success criteria at levels A and AA of each version; the 2.2 rules
# (target size) are tagged wcag22aa. Best-practice and experimental rules are not WCAG and are
# left out.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LANGUAGES = {"en": "English", "bn": "বাংলা"}
LANGUAGE_GROUP = re.compile("^(Language|ভাষা)$")


@functools.cache
def axe_source() -> str:
    if not AXE_SOURCE.is_file():
        raise AssertionError(f"{AXE_SOURCE} is missing: run `make frontend` (npm ci installs axe-core)")
    return AXE_SOURCE.read_text(encoding="utf-8")


async def axe_violations(page: Page, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe's violations of the WCAG A and AA rules on the page as it is now."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results: dict[str, Any] = await page.evaluate(
        "([context, options]) => window.axe.run(context, options)", [context, options]
    )
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One readable block per rule broken: rule, impact, what it asks, where, and axe's help page."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(str(node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


async def assert_accessible(page: Page, label: str, *, exclude: tuple[str, ...] = ()) -> None:
    """Fail with the list of violations when axe finds any on the page (``label`` names it)."""
    await page.wait_for_load_state("load")
    violations = await axe_violations(page, exclude=exclude)
    assert not violations, f"axe: {len(violations)} WCAG A/AA rule(s) broken on {label}:\n{describe(violations)}"


async def switch_language(page: Page, language: str) -> None:
    """Press the header's button for ``language`` (its group is "Language", or "ভাষা" in Bengali)."""
    switch = page.get_by_role("group", name=LANGUAGE_GROUP)
    await switch.get_by_role("button").filter(has_text=LANGUAGES[language]).click()
    await expect(page.locator("html")).to_have_attribute("lang", language)


async def assert_accessible_in_each_language(page: Page, label: str, *, exclude: tuple[str, ...] = ()) -> None:
    """``assert_accessible`` in English and in Bengali; the page ends in the language it started in."""
    started = await page.locator("html").get_attribute("lang") or "en"
    for language in (started, *(other for other in LANGUAGES if other != started)):
        if language != await page.locator("html").get_attribute("lang"):
            await switch_language(page, language)
        await assert_accessible(page, f"{label} [{language}]", exclude=exclude)
    if started != await page.locator("html").get_attribute("lang"):
        await switch_language(page, started)


async def assert_accessible_as_opened_in_bengali(
    browser: Browser, url: str, label: str, viewport: ViewportSize, *, exclude: tuple[str, ...] = ()
) -> None:
    """For a page with no language switch (the projector's present mode): ``assert_accessible`` on
    ``url`` opened by a browser whose preferred language is Bengali."""
    context = await browser.new_context(viewport=viewport, locale="bn-BD")
    try:
        page = await context.new_page()
        await page.goto(url)
        await expect(page.locator("html")).to_have_attribute("lang", "bn")
        await assert_accessible(page, f"{label} [bn]", exclude=exclude)
    finally:
        await context.close()
