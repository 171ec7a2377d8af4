"""Browser tests: Playwright from PyPI driving Debian's Chromium, headless and off the network."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from conftest import verify_session

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in_browser(live_server):
    """Give the browser page a session of `user` that has passed the second factor."""

    def sign(page, user) -> None:
        client = Client()
        client.force_login(user)
        verify_session(client)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign


def axe_violations(page) -> list[dict]:
    """axe-core (bundled with axe-playwright-python, offline) against WCAG 2.2 AA."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
    ]


def click_and_wait(page, target) -> None:
    """Click a link or button that loads a new page, and wait until that page has loaded.

    Reading the page while the browser is between documents returns an empty one, so every
    click that navigates goes through here before the test looks at the result.
    """
    with page.expect_navigation(wait_until="load"):
        target.click()
