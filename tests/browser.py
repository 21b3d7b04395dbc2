"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by Playwright.

scripts/setup_system.sh installs the browser; no browser is downloaded. Screenshots are kept
in tests/artifacts/ (git-ignored). The fixtures ``browser`` and ``page`` are in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.stack import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]

NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (scripts/setup_system.sh could not install it)",
)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def new_page(browser, viewport: dict[str, int]):
    """A page in a fresh context (own cookies and storage); failed dialogs are recorded."""
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="id-ID",
                                  is_mobile=viewport["width"] < 500,
                                  has_touch=viewport["width"] < 500)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def start_visit(page, web, name: str, employee: str, scenario: str = "renewal_complete",
                exam: bool = False) -> None:
    page.goto(web.web_url + "/")
    page.fill("#name", name)
    page.fill("#employee-id", employee)
    page.select_option("#scenario", scenario)
    if exam:
        page.check("#exam")
    page.click("#start")
    page.wait_for_selector(".msg.scene")


def say(page, text: str) -> None:
    """Type one reply and wait for the citizen's answer."""
    before = page.locator(".msg.citizen").count()
    page.fill("#text", text)
    page.click("#send")
    page.wait_for_function(
        "n => document.querySelectorAll('.msg.citizen').length > n", arg=before, timeout=60_000)
    page.wait_for_selector("#typing", state="hidden")


def finish(page) -> None:
    """*Selesai*, then confirm."""
    page.click("#finish")
    page.click("#finish-yes")
    page.wait_for_selector("[data-testid=debrief]")


def trainer_login(page, web, name: str = "") -> None:
    """Sign in to the review with the shared trainer password (no accounts on the stack)."""
    page.goto(web.web_url + "/review/login")
    if name:
        page.fill("#trainer", name)
    page.fill("#password", web.trainer_password)
    page.click("button[type=submit]")
    page.wait_for_url("**/review")
