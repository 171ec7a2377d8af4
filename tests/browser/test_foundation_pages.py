"""The partnership overview and the public statements in a real browser, checked with axe."""

import pytest
from django.core.management import call_command

from partnership.models import User
from tests.browser.conftest import axe_violations, click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    settings.DEBUG = False


def test_demo_administrator_sees_the_partnership_overview_without_axe_violations(
    demo, page, live_server, sign_in_browser
):
    admin = User.objects.get(email="admin@shared-services.demo.vawg-portal.uk")
    sign_in_browser(page, admin)
    page.goto(f"{live_server.url}/staff/")
    assert page.url.endswith("/partnerships/shared-services/")
    assert page.locator("h1").inner_text() == "Shared Services VAWG Partnership"
    body = page.locator("main").inner_text()
    for expected in (
        "Westminster",
        "Kensington and Chelsea",
        "Hammersmith and Fulham",
        "Shared Services VAWG Strategic Board",
        "Metropolitan Police Central West BCU",
    ):
        assert expected in body
    # GOV.UK Frontend's JavaScript ran (the nonce'd inline script and module loaded).
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.lower().startswith("arial")
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/", "/cookies/"])
def test_public_statements_have_no_axe_violations(path, page, live_server):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert page.context.cookies() == []
    assert axe_violations(page) == []


def test_people_pages_have_no_axe_violations(demo, page, live_server, sign_in_browser):
    admin = User.objects.get(email="admin@havering.demo.vawg-portal.uk")
    sign_in_browser(page, admin)
    page.goto(f"{live_server.url}/partnerships/havering/people/invite/")
    click_and_wait(page, page.get_by_role("button", name="Send invitation"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/boards/havering-csp/")
    assert axe_violations(page) == []
