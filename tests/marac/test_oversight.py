"""Oversight for the data protection lead (issue 7, item 10): the partnership's access log
with filters, paginated at a constant query count, and alerts (many cases viewed in a short
time, reads outside working hours) that the lead marks as handled."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marac.models import AccessAlertReview, AccessEvent, AccessKind, AlertKind, Lens
from marac.oversight import access_alerts, alert_key
from marac.services import marac_create
from partnership.models import ChangeRecord, Role
from partnership.services import membership_grant
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TUESDAY = datetime(2026, 11, 24, tzinfo=LONDON)  # a Tuesday in GMT
SATURDAY = datetime(2026, 11, 28, tzinfo=LONDON)


def _event(user, *, at, case_id=1, marac, what=AccessKind.DETAIL, lens=Lens.FULL, agency=None):
    return AccessEvent.objects.create(
        user=user,
        at=at,
        marac_id=marac.pk,
        case_id=case_id,
        lens=lens,
        what=what,
        agency_id=agency.pk if agency else None,
    )


def _views(user, marac, start, count, step_seconds):
    for n in range(count):
        _event(user, at=start + timedelta(seconds=n * step_seconds), case_id=1000 + n, marac=marac)


def _alerts(marac):
    return access_alerts(AccessEvent.objects.filter(marac_id=marac.pk))


def test_many_cases_in_a_short_time(marac, marac_coordinator, marac_chair):
    """Twenty different cases within ten minutes raise one alert; nineteen, or twenty spread
    over half an hour, raise none; viewing one case twenty times raises none."""
    _views(marac_coordinator, marac, TUESDAY.replace(hour=10), 20, 25)
    _views(marac_chair, marac, TUESDAY.replace(hour=11), 19, 25)
    _views(marac_chair, marac, TUESDAY.replace(hour=14), 20, 95)
    for n in range(20):
        _event(marac_chair, at=TUESDAY.replace(hour=15, minute=n), case_id=7, marac=marac)
    alerts = [a for a in _alerts(marac) if a.kind == AlertKind.MANY_CASES]
    assert [(a.user_id, a.cases, a.day) for a in alerts] == [
        (marac_coordinator.pk, 20, TUESDAY.date())
    ]


def test_thresholds_are_settings(settings, marac, marac_coordinator):
    settings.MARAC_ALERT_MANY_CASES = 5
    settings.MARAC_ALERT_WINDOW_MINUTES = 2
    _views(marac_coordinator, marac, TUESDAY.replace(hour=10), 5, 20)
    assert [a.kind for a in _alerts(marac)] == [AlertKind.MANY_CASES]


def test_reads_outside_working_hours(marac, marac_coordinator, marac_chair, idva):
    """Weekends and before 08:00 or from 18:00 London time (British Summer Time included) are
    out of hours; one alert per person and day."""
    _event(marac_coordinator, at=SATURDAY.replace(hour=14), marac=marac)
    _event(marac_coordinator, at=TUESDAY.replace(hour=20), marac=marac, case_id=2)
    _event(marac_coordinator, at=TUESDAY.replace(hour=21), marac=marac, case_id=3)
    _event(marac_coordinator, at=TUESDAY.replace(hour=7, minute=59), marac=marac, case_id=4)
    _event(marac_chair, at=TUESDAY.replace(hour=8), marac=marac)
    _event(marac_chair, at=TUESDAY.replace(hour=17, minute=59), marac=marac)
    summer = datetime(2026, 7, 7, tzinfo=ZoneInfo("UTC"))
    _event(idva, at=summer.replace(hour=7, minute=30), marac=marac)  # 08:30 in London
    _event(idva, at=summer.replace(hour=17, minute=30), marac=marac)  # 18:30 in London
    alerts = {(a.user_id, a.day): a for a in _alerts(marac)}
    assert set(alerts) == {
        (marac_coordinator.pk, SATURDAY.date()),
        (marac_coordinator.pk, TUESDAY.date()),
        (idva.pk, summer.date()),
    }
    tuesday = alerts[(marac_coordinator.pk, TUESDAY.date())]
    assert (tuesday.kind, tuesday.cases, tuesday.reads) == (AlertKind.OUT_OF_HOURS, 3, 3)


@pytest.fixture
def lead(make_member):
    return make_member(Role.DATA_PROTECTION_LEAD)


def test_only_the_partnerships_data_protection_lead_sees_the_page(
    sign_in, lead, make_member, partnership, other_partnership, actor, outsider
):
    """The lead gets the page; coordinators, chairs, commissioners, administrators, an
    outsider and another partnership's data protection lead get 404, on the page and on
    marking an alert handled."""
    url = reverse("marac:oversight", args=[partnership.slug])
    handle = reverse("marac:oversight_alert_handle", args=[partnership.slug])
    assert sign_in(Client(), lead).get(url).status_code == 200
    elsewhere = UserFactory(full_name="Test Other Lead")
    membership_grant(
        acting_user=actor,
        user=elsewhere,
        agency=AgencyFactory(name="Other Lead Agency"),
        role=Role.DATA_PROTECTION_LEAD,
        partnership=other_partnership,
    )
    for person in (
        make_member(Role.MARAC_COORDINATOR),
        make_member(Role.MARAC_CHAIR),
        make_member(Role.COMMISSIONER),
        make_member(Role.PARTNERSHIP_ADMIN),
        outsider,
        elsewhere,
    ):
        client = sign_in(Client(), person)
        assert client.get(url).status_code == 404
        assert client.post(handle, {"key": "x"}).status_code == 404


def test_the_log_covers_the_partnership_and_filters(
    sign_in,
    lead,
    marac,
    other_marac,
    marac_coordinator,
    marac_chair,
    agency,
    actor,
    other_partnership,
):
    """Events at every MARAC of the partnership are listed, another partnership's are not;
    each filter narrows the list."""
    foreign = marac_create(
        acting_user=actor,
        partnership=other_partnership,
        name="Foreign Test MARAC",
        slug="foreign-test-marac",
        boroughs=list(other_partnership.boroughs.all()),
    )
    from django.utils import timezone

    now = timezone.now()
    _event(marac_coordinator, at=now, case_id=101, marac=marac, agency=agency)
    _event(marac_chair, at=now, case_id=102, marac=other_marac, lens=Lens.AGENDA)
    _event(marac_chair, at=now - timedelta(days=3), case_id=103, marac=marac)
    _event(marac_chair, at=now, case_id=104, marac=foreign)
    client = sign_in(Client(), lead)
    url = reverse("marac:oversight", args=["test-shared-partnership"])

    def cases(**params) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {e.case_id for e in response.context["events"]}

    assert cases() == {101, 102, 103}
    assert cases(person=marac_chair.pk) == {102, 103}
    assert cases(agency=agency.pk) == {101}
    assert cases(marac=other_marac.pk) == {102}
    assert cases(lens="agenda") == {102}
    day = timezone.localdate(now - timedelta(days=3)).isoformat()
    assert cases(start=day, end=day) == {103}
    bad = client.get(url, {"start": "2026-02-01", "end": "2026-01-01"})
    assert "govuk-error-summary" in bad.content.decode()


def test_the_log_is_paginated_at_a_constant_query_count(
    sign_in, lead, marac, other_marac, make_member, borough
):
    from django.utils import timezone

    client = sign_in(Client(), lead)
    url = reverse("marac:oversight", args=["test-shared-partnership"])
    now = timezone.now()

    def add(count: int) -> None:
        for n in range(count):
            person = make_member(
                Role.MARAC_REPRESENTATIVE, agency_=AgencyFactory(boroughs=[borough])
            )
            _event(
                person, at=now - timedelta(minutes=n), case_id=n, marac=[marac, other_marac][n % 2]
            )

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(70)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["events"]) == 50
    assert response.context["page"].paginator.num_pages == 2
    assert len(many) == len(few)
    assert client.get(url, {"page": 2}).context["events"][-1].case_id == 69  # the oldest


def test_the_lead_marks_an_alert_handled(sign_in, lead, marac, marac_coordinator, partnership):
    """Marking an alert handled records who and what they found; a second time is refused,
    and a key that names no alert answers 404."""
    _event(marac_coordinator, at=SATURDAY.replace(hour=14), marac=marac)
    client = sign_in(Client(), lead)
    url = reverse("marac:oversight", args=[partnership.slug])
    page = client.get(url, {"start": "2026-11-01"})
    assert "Mark as handled" in page.content.decode()
    key = alert_key(AlertKind.OUT_OF_HOURS, marac_coordinator.pk, SATURDAY.date())
    handle = reverse("marac:oversight_alert_handle", args=[partnership.slug])
    note = "Synthetic: preparing an emergency listing"
    assert client.post(handle, {"key": key, "note": note}).status_code == 302
    review = AccessAlertReview.objects.get()
    assert (review.key, review.created_by, review.note) == (key, lead, note)
    assert ChangeRecord.objects.filter(action="access_alert_handle").count() == 1
    page = client.get(url, {"start": "2026-11-01"}).content.decode()
    assert "Handled" in page
    assert note in page
    client.post(handle, {"key": key, "note": "again"})
    assert AccessAlertReview.objects.count() == 1
    wrong_day = alert_key(AlertKind.OUT_OF_HOURS, marac_coordinator.pk, TUESDAY.date())
    assert client.post(handle, {"key": wrong_day}).status_code == 404
    assert client.post(handle, {"key": "nonsense"}).status_code == 404
