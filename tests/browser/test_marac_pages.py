"""MARAC pages in a real browser: a coordinator enters a referral with a DASH score of 15 (the
score counted live as the answers are chosen), sees its repeat status, accepts it and lists it
on the next agenda; once the agenda is circulated, a representative of another member agency
sees the case only through the agenda lens. axe finds no WCAG 2.2 AA violations on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.models import AccessEvent, Case, CaseStatus, Lens
from marac.services import meeting_create
from tests.browser.conftest import axe_violations, click_and_wait
from tests.marac.conftest import make_case, member_agency, other_agency  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(actor, marac, member_agency, other_agency, make_member, make_case):  # noqa: F811
    earlier = make_case(referral_date=timezone.localdate() - timedelta(days=90))
    meeting = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=30)
    )
    return {
        "earlier": earlier,
        "meeting": meeting,
        "coordinator": make_member("marac_coordinator"),
        "representative": make_member("marac_representative", agency_=other_agency),
    }


def _no_violations(page) -> None:
    assert axe_violations(page) == [], page.url


def test_a_referral_goes_from_the_form_to_a_circulated_agenda(
    page, live_server, sign_in_browser, setting, marac, agency
):
    sign_in_browser(page, setting["coordinator"])
    page.goto(f"{live_server.url}/marac/{marac.slug}/")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("link", name="Enter a referral"))
    page.fill("#id_case_ref", "BROWSER-0001")
    page.select_option("#id_referring_agency", label=agency.name)
    page.fill("#id_first_name", "Testvictim")
    page.fill("#id_last_name", "Fictionalsurname")
    page.fill("#id_date_of_birth", "1990-05-17")
    page.fill("#id_perpetrator_first_name", "Testperp")
    page.fill("#id_perpetrator_last_name", "Madeupname")
    page.check("#id_consent_0", force=True)
    for number in range(1, 25):
        page.check(f"#id_dash_{number}_{0 if number <= 15 else 1}", force=True)
    assert "DASH score: 15 of 24 answered yes (visible high risk)" in page.inner_text("#dash-score")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Save referral"))
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.inner_text()

    assert "Check referral BROWSER-0001" in page.inner_text("h1")
    assert "15 (visible high risk)" in page.inner_text("#dash-score-checked")
    assert "Repeat: an earlier referral" in page.inner_text("#repeat-status")
    assert setting["earlier"].case_ref in page.inner_text("#repeat-status")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Accept referral"))

    case = Case.objects.get(case_ref="BROWSER-0001")
    assert case.status == CaseStatus.ACCEPTED
    assert case.referral.is_repeat is True
    assert "Who has viewed this case" in page.content()
    _no_violations(page)
    click_and_wait(page, page.get_by_role("button", name="List on the agenda"))
    assert "Case listed on the agenda" in page.content()
    meeting = setting["meeting"]
    page.goto(f"{live_server.url}/marac/{marac.slug}/meetings/{meeting.pk}/")
    assert "BROWSER-0001" in page.content()
    _no_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Circulate the agenda"))
    assert "Agenda circulated" in page.content()

    representative = setting["representative"]
    page.context.clear_cookies()
    sign_in_browser(page, representative)
    page.goto(f"{live_server.url}/marac/agenda-cases/")
    assert "BROWSER-0001" in page.content()
    _no_violations(page)
    click_and_wait(page, page.get_by_role("link", name="BROWSER-0001"))
    body = page.content()
    assert "Agenda view" in body
    assert "Testvictim Fictionalsurname" in body
    assert "Has the current incident resulted in injury?" not in body
    assert "Who has viewed this case" not in body
    _no_violations(page)
    lenses = set(
        AccessEvent.objects.filter(user=representative, case_id=case.pk).values_list(
            "lens", flat=True
        )
    )
    assert lenses == {Lens.AGENDA}


def test_the_lookup_case_list_and_indicator_pages_pass_axe(
    page, live_server, sign_in_browser, setting, marac
):
    sign_in_browser(page, setting["coordinator"])
    for path in ("cases/", "lookup/", "indicators/", "meetings/new/"):
        page.goto(f"{live_server.url}/marac/{marac.slug}/{path}")
        _no_violations(page)
    page.goto(f"{live_server.url}/marac/{marac.slug}/lookup/")
    page.fill("#id_ref-case_ref", setting["earlier"].case_ref)
    click_and_wait(page, page.get_by_role("button", name="Find by reference"))
    assert setting["earlier"].case_ref in page.inner_text("table")
    _no_violations(page)


def test_the_caseload_and_partnership_indicator_pages_pass_axe(
    page, live_server, sign_in_browser, setting, marac, actor, make_member
):
    """The IDVA's caseload (a case allocated to them) and the partnership's indicators."""
    from marac.services import case_allocate_idva

    idva = make_member("idva")
    case_allocate_idva(acting_user=actor, case=setting["earlier"], idva=idva)
    sign_in_browser(page, idva)
    page.goto(f"{live_server.url}/marac/caseload/")
    assert setting["earlier"].case_ref in page.inner_text("main")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("link", name=setting["earlier"].case_ref))
    assert "Full record" in page.inner_text(".govuk-caption-xl")
    _no_violations(page)
    page.context.clear_cookies()
    sign_in_browser(page, setting["coordinator"])
    page.goto(f"{live_server.url}/marac/partnerships/{marac.partnership.slug}/indicators/")
    assert marac.name in page.inner_text("main")
    _no_violations(page)
