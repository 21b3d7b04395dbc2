"""Shared fixtures: a live stack (real action server + real Rasa server + SQLite store)."""

from __future__ import annotations

import os
import tempfile

import pytest

from tests.stack import ROOT, Stack


def pytest_configure(config):
    """An empty calibration directory for the whole run (servers started by the tests
    inherit it): a layer adopted on this machine by ``python -m review fit`` must not shift the
    scores the tests expect. tests/test_fit.py points it at its own directories."""
    os.environ["PTSP_CALIBRATION_DIR"] = tempfile.mkdtemp(prefix="ptsp-calibration-")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Start the real servers once for the whole test session."""
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make test` (it trains first)")
    live = Stack(tmp_path_factory.mktemp("stack")).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def web(stack):
    """The web service (trainee page + trainer review) beside the live stack."""
    if "web" not in stack.procs:
        stack.start_web()
    return stack


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for the page tests (tests/browser.py). Per module: the
    sync Playwright API keeps an event loop running while it is open, which other tests'
    ``asyncio.run`` cannot share."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A desktop page in a fresh browser context."""
    from tests.browser import DESKTOP, new_page

    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()
