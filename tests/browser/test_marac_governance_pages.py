"""MARAC governance pages in a real browser: a coordinator transfers a case to another MARAC of
the partnership and its coordinator accepts it; the data protection lead filters the access
log and marks an alert handled; the export and legal hold pages. axe finds no WCAG 2.2 AA
violations on any of them, errors included."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from marac.models import AccessAlertReview, AccessEvent, CaseStatus, CaseTransfer, Lens
from tests.browser.conftest import axe_violations, click_and_wait
from tests.marac.conftest import (  # noqa: F401 (fixtures)
    grant_role,
    make_case,
    member_agency,
    other_agency,
    other_marac,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _no_violations(page) -> None:
    assert axe_violations(page) == [], page.url


def test_a_case_is_transferred_and_accepted(
    browser,
    page,
    live_server,
    sign_in_browser,
    make_case,  # noqa: F811
    make_member,
    other_marac,  # noqa: F811
    grant_role,  # noqa: F811
):
    case = make_case(case_ref="BROWSER-TRANSFER")
    sender = make_member("marac_coordinator")
    receiver = grant_role("marac_coordinator", other_marac)
    sign_in_browser(page, sender)
    page.goto(f"{live_server.url}/marac/cases/{case.pk}/")
    click_and_wait(page, page.get_by_role("link", name="Transfer this case to another MARAC"))
    _no_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Transfer the case"))
    assert page.locator(".govuk-error-summary").count() == 1
    _no_violations(page)
    page.get_by_label(other_marac.name).check(force=True)
    page.fill("#id_reason", "Synthetic: the victim has moved borough")
    click_and_wait(page, page.get_by_role("button", name="Transfer the case"))
    assert "Waiting for the receiving MARAC" in page.inner_text("main")
    _no_violations(page)

    context = browser.new_context(bypass_csp=True, locale="en-GB")
    other = context.new_page()
    sign_in_browser(other, receiver)
    other.goto(f"{live_server.url}/marac/{other_marac.slug}/transfers/")
    _no_violations(other)
    click_and_wait(other, other.get_by_role("link", name="BROWSER-TRANSFER"))
    _no_violations(other)
    other.get_by_label("Yes, accept the transfer").check(force=True)
    click_and_wait(other, other.get_by_role("button", name="Send your answer"))
    assert "Case BROWSER-TRANSFER" in other.inner_text("h1")
    context.close()
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    assert CaseTransfer.objects.get().status == "accepted"


def test_the_data_protection_lead_oversees_access(
    page,
    live_server,
    sign_in_browser,
    make_member,
    make_case,  # noqa: F811
    marac,
    partnership,
):
    lead = make_member("data_protection_lead")
    coordinator = make_member("marac_coordinator")
    case = make_case(case_ref="BROWSER-HOLD")
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    AccessEvent.objects.create(
        user=coordinator,
        at=saturday,
        marac_id=marac.pk,
        case_id=case.pk,
        lens=Lens.FULL,
        what="detail",
    )
    sign_in_browser(page, lead)
    page.goto(
        f"{live_server.url}/marac/partnerships/{partnership.slug}/oversight/?start=2026-11-01"
    )
    assert "Reads outside working hours" in page.inner_text("main")
    _no_violations(page)
    page.fill("#note-1", "Synthetic: an emergency listing")
    click_and_wait(page, page.get_by_role("button", name="Mark as handled"))
    assert AccessAlertReview.objects.count() == 1
    page.goto(
        f"{live_server.url}/marac/partnerships/{partnership.slug}/oversight/?start=2026-12-31&end=2026-01-01"
    )
    assert page.locator(".govuk-error-summary").count() == 1
    _no_violations(page)

    page.goto(f"{live_server.url}/marac/{marac.slug}/exports/")
    _no_violations(page)
    page.goto(f"{live_server.url}/marac/cases/{case.pk}/legal-hold/")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Set the hold"))
    assert page.locator(".govuk-error-summary").count() == 1
    _no_violations(page)
    page.fill("#id_reason", "Synthetic domestic homicide review")
    click_and_wait(page, page.get_by_role("button", name="Set the hold"))
    assert "under a legal hold" in page.inner_text("main")
    _no_violations(page)
