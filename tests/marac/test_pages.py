"""The MARAC pages over HTTP: the coordinator's dashboard, case list, lookup and case page, the
representative's agenda list, the IDVA's caseload, and the referral form with its repeat check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marac import permissions
from marac.models import AccessEvent, AccessKind, Case, CaseStatus, Lens
from marac.services import agenda_circulate, agenda_item_add, case_allocate_idva, meeting_create
from tests.marac.factories import victim

pytestmark = pytest.mark.django_db


def _events(user, **filters):
    return AccessEvent.objects.filter(user=user, **filters)


def _circulated(actor, marac, case, days_ahead=20):
    meeting = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=days_ahead)
    )
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    agenda_circulate(acting_user=actor, meeting=meeting)
    return meeting


def test_the_dashboard_shows_waiting_referrals_and_records_each(
    client, sign_in, marac_coordinator, make_case, marac
):
    """Referrals waiting are listed (one list event each); accepted ones are only counted."""
    waiting = make_case(accept=False)
    make_case()
    sign_in(client, marac_coordinator)
    response = client.get(reverse("marac:dashboard", kwargs={"slug": marac.slug}))
    assert response.status_code == 200
    assert waiting.case_ref in response.content.decode()
    assert list(_events(marac_coordinator).values_list("case_id", "what")) == [
        (waiting.pk, AccessKind.LIST)
    ]


STATUS_ROW = re.compile(
    r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
    r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>'
)


def _dashboard(client, marac) -> tuple[str, dict[str, int]]:
    """The dashboard's text, and its cases-by-status table."""
    response = client.get(reverse("marac:dashboard", kwargs={"slug": marac.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return text, {label: int(n) for label, n in STATUS_ROW.findall(html)}


def test_the_dashboard_shows_the_next_agenda_and_cases_by_status(
    client, sign_in, actor, marac_coordinator, make_case, marac
):
    """The next meetings with how many cases each lists, and a count of cases in each status;
    the page costs the same queries however many cases there are."""
    soon = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=14)
    )
    meeting_create(acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=42))
    for _ in range(2):
        agenda_item_add(acting_user=actor, meeting=soon, case=make_case())
    make_case(accept=False)
    make_case()
    sign_in(client, marac_coordinator)
    with CaptureQueriesContext(connection) as few:
        text, by_status = _dashboard(client, marac)
    assert f"{soon.date:%-d %B %Y} : 2 cases listed" in text
    assert ": 0 cases listed" in text
    assert by_status == {
        "Referred": 1,
        "Accepted": 1,
        "Listed": 2,
        "Heard": 0,
        "Closed": 0,
        "Transferred": 0,
    }
    for _ in range(3):
        make_case(accept=False)
        make_case()
    with CaptureQueriesContext(connection) as more:
        _, by_status = _dashboard(client, marac)
    assert (by_status["Referred"], by_status["Accepted"]) == (4, 4)
    assert len(more) == len(few)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("marac_coordinator", 200),
        ("marac_chair", 200),
        ("marac_representative", 404),
        ("idva", 404),
        ("commissioner", 404),
        ("data_protection_lead", 404),
    ],
)
def test_only_coordinators_and_the_chair_open_the_dashboard_and_case_list(
    client, sign_in, make_member, marac, role, status
):
    """Everyone else gets 404, exactly as for a MARAC that does not exist."""
    sign_in(client, make_member(role))
    for name in ("marac:dashboard", "marac:case_list"):
        assert client.get(reverse(name, kwargs={"slug": marac.slug})).status_code == status
    assert client.get(reverse("marac:dashboard", kwargs={"slug": "no-such"})).status_code == 404


def test_the_case_list_keeps_its_query_count_as_cases_grow(
    client, sign_in, marac_coordinator, make_case, marac
):
    """Listing 2 or 6 cases costs the same number of queries; each shown case is recorded."""
    url = reverse("marac:case_list", kwargs={"slug": marac.slug})
    sign_in(client, marac_coordinator)
    for _ in range(2):
        make_case()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_case()
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(more) == len(few)
    assert response.content.decode().count("Testvictim Fictionalsurname") == 6
    assert _events(marac_coordinator, what=AccessKind.LIST).count() == 2 + 6


def test_the_case_page_shows_the_full_lens_and_who_has_viewed_it(
    client, sign_in, marac_coordinator, make_case
):
    case = make_case()
    sign_in(client, marac_coordinator)
    response = client.get(reverse("marac:case", kwargs={"pk": case.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Call the synthetic mobile after 6pm" in body
    assert "Who has viewed this case" in body
    assert marac_coordinator.full_name in body
    assert _events(marac_coordinator, case_id=case.pk, what=AccessKind.DETAIL).count() == 1
    assert _events(marac_coordinator).get().lens == Lens.FULL


def test_a_representative_sees_circulated_cases_only_through_the_agenda_lens(
    client, sign_in, actor, marac, make_case, make_member, other_agency
):
    """The housing representative (not the referrer) sees the agenda view: no safe contact."""
    listed = make_case()
    unlisted = make_case()
    _circulated(actor, marac, listed)
    rep = make_member("marac_representative", agency_=other_agency)
    sign_in(client, rep)
    response = client.get(reverse("marac:agenda_cases"))
    body = response.content.decode()
    assert listed.case_ref in body
    assert unlisted.case_ref not in body
    page = client.get(reverse("marac:case", kwargs={"pk": listed.pk})).content.decode()
    assert "Agenda view" in page
    assert "1 Synthetic Row" in page
    assert "Call the synthetic mobile" not in page
    assert "Who has viewed this case" not in page
    assert client.get(reverse("marac:case", kwargs={"pk": unlisted.pk})).status_code == 404
    assert set(_events(rep).values_list("case_id", "lens", "what")) == {
        (listed.pk, Lens.AGENDA, AccessKind.LIST),
        (listed.pk, Lens.AGENDA, AccessKind.DETAIL),
    }


def test_the_idva_caseload_lists_allocated_open_cases(
    client, sign_in, actor, idva, make_case, marac_coordinator
):
    mine = make_case()
    other = make_case()
    case_allocate_idva(acting_user=actor, case=mine, idva=idva)
    sign_in(client, idva)
    body = client.get(reverse("marac:caseload")).content.decode()
    assert mine.case_ref in body
    assert other.case_ref not in body
    assert list(_events(idva).values_list("case_id", "lens")) == [(mine.pk, Lens.FULL)]
    sign_in(client, marac_coordinator)
    assert client.get(reverse("marac:caseload")).status_code == 404


def test_lookup_is_a_post_recorded_and_finds_exact_matches_only(
    client, sign_in, marac_coordinator, make_case, marac
):
    case = make_case()
    url = reverse("marac:lookup", kwargs={"slug": marac.slug})
    sign_in(client, marac_coordinator)
    assert client.get(url, {"person-first_name": "Testvictim"}).status_code == 200
    assert not _events(marac_coordinator).exists()
    found = client.post(
        url,
        {
            "person": "1",
            "person-first_name": " testvictim ",
            "person-last_name": "FICTIONALSURNAME",
            "person-date_of_birth": "1990-05-17",
        },
    )
    assert case.case_ref in found.content.decode()
    partial = client.post(
        url,
        {
            "person": "1",
            "person-first_name": "Testvic",
            "person-last_name": "Fictionalsurname",
            "person-date_of_birth": "1990-05-17",
        },
    )
    assert "No matching case" in partial.content.decode()
    by_ref = client.post(url, {"case_ref": "1", "ref-case_ref": case.case_ref})
    assert case.case_ref in by_ref.content.decode()
    lookups = _events(marac_coordinator, what=AccessKind.LOOKUP)
    assert lookups.filter(case_id__isnull=True).count() == 3
    assert lookups.filter(case_id=case.pk).count() == 2


def test_lookups_are_rate_limited(client, sign_in, marac_coordinator, make_case, marac):
    """Past the hourly limit a lookup answers 429 and finds nothing."""
    case = make_case()
    url = reverse("marac:lookup", kwargs={"slug": marac.slug})
    sign_in(client, marac_coordinator)
    for _ in range(permissions.LOOKUPS_PER_HOUR):
        assert client.post(url, {"case_ref": "1", "ref-case_ref": "NONE"}).status_code == 200
    refused = client.post(url, {"case_ref": "1", "ref-case_ref": case.case_ref})
    assert refused.status_code == 429
    assert "Matching cases" not in refused.content.decode()
    assert not _events(marac_coordinator, case_id=case.pk).exists()


@pytest.mark.parametrize("role", ["marac_chair", "marac_representative", "idva", "commissioner"])
def test_only_coordinators_may_look_up(client, sign_in, make_member, marac, role):
    sign_in(client, make_member(role))
    url = reverse("marac:lookup", kwargs={"slug": marac.slug})
    assert client.post(url, {"case_ref": "1", "ref-case_ref": "X"}).status_code == 404
    assert not AccessEvent.objects.exists()


def _referral_post(agency, score: int, **extra) -> dict:
    data = {
        "case_ref": "WEB-0001",
        "referral_date": timezone.localdate().isoformat(),
        "referring_agency": agency.pk,
        "first_name": "Testvictim",
        "last_name": "Fictionalsurname",
        "date_of_birth": "1990-05-17",
        "gender": "female",
        "ethnicity": "white_british",
        "lgbt": "no",
        "disability": "no",
        "address": "1 Synthetic Row",
        "perpetrator_first_name": "Testperp",
        "perpetrator_last_name": "Madeupname",
        "children_in_household": "1",
        "consent": "given",
    }
    for number in range(1, 25):
        data[f"dash_{number}"] = "yes" if number <= score else "no"
    data.update(extra)
    return data


def test_a_coordinator_enters_a_referral_sees_its_repeat_status_and_accepts_it(
    client, sign_in, marac_coordinator, member_agency, agency, marac, make_case
):
    """The server scores the DASH (15: visible high risk); the check page shows a repeat of an
    earlier referral of the same victim before acceptance stores it."""
    earlier = make_case(referral_date=timezone.localdate() - timedelta(days=100))
    sign_in(client, marac_coordinator)
    response = client.post(
        reverse("marac:referral_new", kwargs={"slug": marac.slug}), _referral_post(agency, 15)
    )
    case = Case.objects.get(case_ref="WEB-0001")
    assert response.status_code == 302
    assert response["Location"] == reverse("marac:referral_check", kwargs={"pk": case.pk})
    assert case.referral.dash_score == 15
    assert case.referral.visible_high_risk
    check = client.get(response["Location"]).content.decode()
    assert "Repeat: an earlier referral" in check
    assert earlier.case_ref in check
    assert client.post(response["Location"]).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.referral.is_repeat is True


def test_a_low_score_referral_without_a_criterion_is_refused_on_the_form(
    client, sign_in, marac_coordinator, member_agency, agency, marac
):
    sign_in(client, marac_coordinator)
    response = client.post(
        reverse("marac:referral_new", kwargs={"slug": marac.slug}), _referral_post(agency, 5)
    )
    assert response.status_code == 200
    assert "meets no criterion" in response.content.decode()
    assert not Case.objects.exists()


def test_listing_and_circulating_opens_the_agenda_lens(
    client, sign_in, actor, marac_coordinator, make_case, marac, make_member, other_agency
):
    case = make_case()
    meeting = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=30)
    )
    rep = make_member("marac_representative", agency_=other_agency)
    sign_in(client, marac_coordinator)
    client.post(
        reverse("marac:case_list_on_agenda", kwargs={"pk": case.pk}), {"meeting": meeting.pk}
    )
    assert meeting.items.filter(case=case).exists()
    assert not permissions.cases_visible_to(rep, Lens.AGENDA).filter(pk=case.pk).exists()
    client.post(reverse("marac:meeting_circulate", kwargs={"slug": marac.slug, "pk": meeting.pk}))
    assert permissions.cases_visible_to(rep, Lens.AGENDA).filter(pk=case.pk).exists()
    page = client.get(reverse("marac:meeting", kwargs={"slug": marac.slug, "pk": meeting.pk}))
    assert case.case_ref in page.content.decode()


def test_pages_never_put_names_in_titles(client, sign_in, marac_coordinator, make_case):
    case = make_case(victim_details=victim(first="Titlecheck"))
    sign_in(client, marac_coordinator)
    body = client.get(reverse("marac:case", kwargs={"pk": case.pk})).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert "Titlecheck" not in title
    assert "Titlecheck" in body


def test_the_agenda_list_keeps_its_query_count_as_cases_grow(
    client, sign_in, actor, marac, make_case, make_member, other_agency
):
    """A representative's list costs the same queries for 1 or 4 circulated cases."""
    rep = make_member("marac_representative", agency_=other_agency)
    url = reverse("marac:agenda_cases")
    sign_in(client, rep)
    meeting = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=20)
    )
    agenda_item_add(acting_user=actor, meeting=meeting, case=make_case())
    agenda_circulate(acting_user=actor, meeting=meeting)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    later = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=27)
    )
    for _ in range(3):
        agenda_item_add(acting_user=actor, meeting=later, case=make_case(), kind="emergency")
    agenda_circulate(acting_user=actor, meeting=later)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(more) == len(few)
    assert response.content.decode().count("Testvictim Fictionalsurname") == 4
