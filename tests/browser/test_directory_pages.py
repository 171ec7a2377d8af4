"""The public directory in headless Chromium: Exit this page, no trace, keyboard, 320 px, axe.

These run under the real Content Security Policy (no `bypass_csp`), so they also prove the
GOV.UK Frontend JavaScript runs with the page's nonce.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from directory.services import organisation_upsert, service_upsert
from partnership.services import system_actor
from tests.browser.conftest import CHROMIUM_ARGS, axe_violations, click_and_wait  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# The browser has no network: a page of the live server stands in for the safe site.
SAFE_PATH = "/robots.txt"


@pytest.fixture
def directory_data():
    actor = system_actor()
    organisation, _ = organisation_upsert(
        acting_user=actor, organisation_id=None, name="Browser Test Charity (test)"
    )
    always = [{"weekdays": list(range(7)), "opens_at": "00:00", "closes_at": "24:00"}]
    services = {}
    for key, name, taxonomy, areas, locations in [
        (
            "refuge",
            "Test women's refuge",
            ["st-refuge", "at-domestic-abuse"],
            ["havering"],
            [
                {
                    "location_type": "physical",
                    "name": "Secret",
                    "address_1": "3 Hidden Row",
                    "postal_code": "RM1 8ZZ",
                    "latitude": 51.58,
                    "longitude": 0.18,
                    "confidential": True,
                }
            ],
        ),
        (
            "outreach",
            "Test outreach service",
            ["st-outreach", "at-domestic-abuse"],
            ["havering"],
            [
                {
                    "location_type": "physical",
                    "name": "Test base",
                    "address_1": "1 Synthetic Street",
                    "postal_code": "RM1 9ZZ",
                    "latitude": 51.581,
                    "longitude": 0.183,
                }
            ],
        ),
        (
            "helpline",
            "Test national helpline",
            ["st-helpline", "at-domestic-abuse"],
            ["national"],
            [],
        ),
    ]:
        service, _ = service_upsert(
            acting_user=actor,
            service_id=str(uuid.uuid4()),
            organisation=organisation,
            data={
                "name": name,
                "description": f"{name}: synthetic, for browser tests.",
                "taxonomy": taxonomy,
                "areas": areas,
                "schedules": always,
                "phones": [{"number": "020 7946 0111", "description": "Synthetic"}],
                "locations": locations,
            },
            last_checked=timezone.localdate() - timedelta(days=3),
            publish=True,
        )
        services[key] = service
    return services


@pytest.fixture
def strict_page(browser):
    """A fresh browser context under the page's own CSP, logging every request it makes."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    yield page
    context.close()


@pytest.fixture
def safe_site(settings, strict_page, live_server):
    settings.DIRECTORY_EXIT_URL = live_server.url + SAFE_PATH
    strict_page.safe_url = live_server.url + SAFE_PATH
    return strict_page


def _left(page) -> None:
    page.wait_for_url(page.safe_url)
    assert "User-agent" in page.content()


def _ready(page) -> None:
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.wait_for_selector(".govuk-exit-this-page__indicator", state="attached")


def test_shift_three_times_leaves_for_the_safe_site(live_server, safe_site, directory_data):
    page = safe_site
    page.goto(f"{live_server.url}/find-support/?q=refuge")
    _ready(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    _left(page)


def test_shift_with_another_key_does_not_leave(live_server, safe_site, directory_data):
    page = safe_site
    page.goto(f"{live_server.url}/")
    _ready(page)
    for _ in range(3):
        page.keyboard.press("Shift+A")  # Shift used as a modifier
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")  # any other key resets the count
    page.keyboard.press("Shift")
    page.wait_for_timeout(800)
    assert page.url == f"{live_server.url}/"


def test_the_button_and_the_skip_link_leave(live_server, safe_site, directory_data):
    page = safe_site
    page.goto(f"{live_server.url}/")
    _ready(page)
    page.get_by_role("button", name="Emergency Exit this page").click()
    _left(page)
    page.goto(f"{live_server.url}/staying-safe-online/")
    _ready(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Exit this page"
    page.keyboard.press("Enter")
    _left(page)


def test_a_fresh_journey_leaves_no_trace(live_server, strict_page, directory_data):
    """Home, results, service page: no cookie, no storage, no request to another origin."""
    page = strict_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("What are you looking for?").fill("refuge")
    page.get_by_label("Postcode or area (optional)").fill("RM1 3BB")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/find-support/?**")
    page.get_by_role("link", name="Test women's refuge").click()
    page.wait_for_selector('h1:has-text("Test women\'s refuge")')
    assert page.context.cookies() == []
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    assert page.requests_seen
    assert all(url.startswith(live_server.url) for url in page.requests_seen), [
        url for url in page.requests_seen if not url.startswith(live_server.url)
    ]
    assert "RM1 3BB" not in page.title()
    assert "refuge" not in page.title().lower()
    body = page.content()
    assert "3 Hidden Row" not in body
    assert "RM1 8ZZ" not in body


def test_the_journey_works_by_keyboard_alone_at_320_pixels(
    live_server, strict_page, directory_data
):
    page = strict_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("outreach")
    page.keyboard.press("Enter")
    page.wait_for_url("**/find-support/?**")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for _ in range(40):
        page.keyboard.press("Tab")
        if "/find-support/services/" in (page.evaluate("document.activeElement.href") or ""):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Test outreach service')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_text("press 55").is_visible()
    assert page.get_by_role("button", name="Emergency Exit this page").is_visible()


def test_everything_works_without_javascript(live_server, browser, directory_data, settings):
    """With scripts off: search with a postcode and filters, open a service, see the no-results
    page with the helplines, and leave through the plain "Exit this page" link."""
    settings.DIRECTORY_EXIT_URL = live_server.url + SAFE_PATH
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        # GOV.UK Frontend marks the body when its scripts run: here they never do.
        assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")
        page.get_by_label("What are you looking for?").fill("domestic abuse")
        page.get_by_label("Postcode or area (optional)").fill("rm13bb")
        click_and_wait(page, page.get_by_role("button", name="Search", exact=True))
        assert "3 services found" in page.inner_text("#results-heading")
        assert "miles away (approximate)" in page.content()
        page.get_by_label("Borough").select_option("havering")
        page.get_by_label("Type of support").select_option("st-outreach")
        click_and_wait(page, page.get_by_role("button", name="Apply filters"))
        assert "1 service found" in page.inner_text("#results-heading")
        click_and_wait(page, page.get_by_role("link", name="Test outreach service"))
        assert page.inner_text("h1") == "Test outreach service"
        assert "press 55" in page.content()
        page.goto(f"{live_server.url}/find-support/?q=xylophone+zebra")
        assert "No services match your search" in page.content()
        assert "Test national helpline" in page.content()
        refuge = directory_data["refuge"].get_absolute_url()
        page.goto(f"{live_server.url}{refuge}")
        assert "3 Hidden Row" not in page.content()
        assert context.cookies() == []
        click_and_wait(page, page.locator("a.govuk-exit-this-page__button"))
        assert page.url == live_server.url + SAFE_PATH
        assert "User-agent" in page.content()
    finally:
        context.close()


PAGES = [
    "/",
    "/find-support/?q=refuge",
    "/find-support/?q=xylophone+zebra",
    "/find-support/?postcode=not-a-postcode&borough=atlantis",
    "/staying-safe-online/",
    "/staying-safe-online/exit-this-page/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    f"/find-support/services/{uuid.UUID(int=0)}/",
]


def test_every_public_template_has_no_axe_violations(live_server, strict_page, directory_data):
    page = strict_page
    for path in [*PAGES, directory_data["refuge"].get_absolute_url()]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], path
    assert page.context.cookies() == []
