"""Signing in with a password and an authenticator app, enrolment, and the timeout warning,
in a real browser with the real Content Security Policy, checked with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.browser.conftest import axe_violations, click_and_wait
from tests.security.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def strict_page(browser):
    """A page that obeys the Content Security Policy and records any violation."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_errors.append(message.text)
        ),
    )
    yield page
    context.close()


def _password_step(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Continue"))


def test_sign_in_with_password_and_code_reaches_the_partnership_overview(
    strict_page, live_server, commissioner, partnership
):
    page = strict_page
    secret = generate_totp_secret()
    TOTP.activate(commissioner, secret)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Sign in"
    assert axe_violations(page) == []

    click_and_wait(page, page.get_by_role("button", name="Continue"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []

    _password_step(page, live_server, commissioner)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert page.locator("h1").inner_text() == "Enter your security code"
    assert axe_violations(page) == []

    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf"/partnerships/{partnership.slug}/$"))
    assert page.locator("h1").inner_text() == partnership.name
    assert page.csp_errors == [], "\n".join(page.csp_errors)


def test_a_new_person_sets_up_an_authenticator_app_before_anything_else(
    strict_page, live_server, commissioner, partnership
):
    page = strict_page
    _password_step(page, live_server, commissioner)
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    assert page.locator("h1").inner_text() == "Set up a second way to prove it is you"
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/")
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))

    page.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert page.locator("h1").inner_text() == "Set up an authenticator app"
    assert axe_violations(page) == []
    secret = page.locator("#authenticator_secret").input_value()

    page.get_by_label("Code from your authenticator app").fill("000000")
    click_and_wait(page, page.get_by_role("button", name="Continue"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert page.locator(".app-recovery-codes li").count() == 10
    assert axe_violations(page) == []
    page.get_by_role("link", name="I have saved my codes – continue").click()
    page.wait_for_url(re.compile(rf"/partnerships/{partnership.slug}/$"))
    assert page.csp_errors == [], "\n".join(page.csp_errors)


def _signed_in_strict(page, live_server, user, sign_in_browser) -> None:
    sign_in_browser(page, user)
    page.goto(f"{live_server.url}/staff/")


def test_the_timeout_warning_is_a_modal_dialogue_and_staying_signed_in_closes_it(
    strict_page, live_server, commissioner, partnership, sign_in_browser, settings
):
    """With 128 seconds left the warning (opening at 120) appears within seconds."""
    settings.SESSION_COOKIE_AGE = 128
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 120
    page = strict_page
    _signed_in_strict(page, live_server, commissioner, sign_in_browser)
    dialog = page.locator("#timeout-warning")
    dialog.wait_for(state="visible", timeout=15_000)
    assert page.get_by_role("dialog").get_by_role("heading").inner_text() == (
        "You’re about to be signed out"
    )
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert "minutes" in dialog.locator(".app-timeout-dialog__countdown").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=5_000)
    assert page.csp_errors == [], "\n".join(page.csp_errors)


def test_when_time_runs_out_the_browser_shows_the_signed_out_page(
    strict_page, live_server, commissioner, partnership, sign_in_browser, settings
):
    settings.SESSION_COOKIE_AGE = 4
    page = strict_page
    _signed_in_strict(page, live_server, commissioner, sign_in_browser)
    page.locator("#timeout-warning").wait_for(state="visible", timeout=5_000)
    page.wait_for_url(re.compile(r"/accounts/signed-out/$"), timeout=15_000)
    assert page.locator("h1").inner_text() == "You have been signed out"
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/staff/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.csp_errors == [], "\n".join(page.csp_errors)
