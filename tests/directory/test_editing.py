"""Keeping the directory current: editors draft, partnership administrators publish."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import ALL_ROLES
from directory.models import Service
from directory.services import organisation_upsert, service_upsert
from directory.tasks import remind_editors_of_unchecked_services
from partnership.models import Role
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_service(actor, agency):
    """A published service of the test agency (whose editors and administrators manage it)."""
    return _service(actor, agency, "Agency outreach")


def _service(actor, agency, name, *, days=10, publish=True):
    organisation, _ = organisation_upsert(
        acting_user=actor, organisation_id=None, name=agency.name, agency=agency
    )
    service, _ = service_upsert(
        acting_user=actor,
        service_id=str(uuid.uuid4()),
        organisation=organisation,
        data={
            "name": name,
            "description": "Synthetic outreach.",
            "taxonomy": ["st-outreach"],
            "areas": ["westminster"],
        },
        last_checked=timezone.localdate() - timedelta(days=days),
        publish=publish,
    )
    return service


@pytest.mark.parametrize("role", [*ALL_ROLES, "anonymous", "outsider"])
def test_only_the_agencys_editors_and_the_partnership_administrators_manage_a_service(
    request, role, agency_service, sign_in
):
    user = request.getfixturevalue(role)
    client = sign_in(Client(), user)
    response = client.get(f"/directory/services/{agency_service.pk}/")
    allowed = role in (Role.SERVICE_EDITOR, Role.PARTNERSHIP_ADMIN)
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if allowed else 404)
    publish = client.post(f"/directory/services/{agency_service.pk}/publish/")
    assert publish.status_code == (302 if role in (Role.PARTNERSHIP_ADMIN, "anonymous") else 404)


def test_an_editor_of_another_agency_gets_404(agency_service, make_member, sign_in):
    other = make_member(Role.SERVICE_EDITOR, agency_=AgencyFactory(name="Other Charity"))
    client = sign_in(Client(), other)
    assert client.get(f"/directory/services/{agency_service.pk}/").status_code == 404
    assert client.get(f"/directory/services/{agency_service.pk}/edit/").status_code == 404


def _form(**overrides):
    data = {
        "name": "Agency outreach",
        "description": "Synthetic outreach.",
        "status": "active",
        "service_type": ["st-outreach"],
        "boroughs": ["westminster"],
        "is_free": "on",
        "accepts_self_referral": "on",
        "languages": ["en"],
        "phone": "020 7946 0123",
    }
    data.update(overrides)
    return data


def test_an_edit_to_a_published_service_is_a_draft_until_an_administrator_publishes_it(
    agency_service, service_editor, partnership_admin, sign_in
):
    editor = sign_in(Client(), service_editor)
    response = editor.post(
        f"/directory/services/{agency_service.pk}/edit/", _form(name="Renamed outreach")
    )
    assert response.status_code == 302
    public = Client()
    page = public.get(agency_service.get_absolute_url()).content.decode()
    assert "Agency outreach" in page
    assert "Renamed outreach" not in page
    assert "Renamed outreach" not in public.get("/find-support/?q=renamed").content.decode()
    api = public.get(f"/api/oruk/services/{agency_service.pk}").json()
    assert api["name"] == "Agency outreach"
    # The editor cannot publish; the administrator can.
    assert editor.post(f"/directory/services/{agency_service.pk}/publish/").status_code == 404
    admin = sign_in(Client(), partnership_admin)
    assert admin.post(f"/directory/services/{agency_service.pk}/publish/").status_code == 302
    assert "Renamed outreach" in public.get(agency_service.get_absolute_url()).content.decode()
    agency_service.refresh_from_db()
    assert agency_service.draft is None
    assert agency_service.phones.get().number == "020 7946 0123"


def test_a_new_service_is_invisible_until_published(
    agency, service_editor, partnership_admin, sign_in
):
    editor = sign_in(Client(), service_editor)
    response = editor.post(
        "/directory/services/new/", _form(name="Brand new service", agency=agency.slug)
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Brand new service")
    assert not service.is_published
    assert Client().get(service.get_absolute_url()).status_code == 404
    assert Client().get("/api/oruk/services").json()["total_items"] == 0
    sign_in(Client(), partnership_admin).post(f"/directory/services/{service.pk}/publish/")
    assert Client().get(service.get_absolute_url()).status_code == 200


def test_bad_form_input_shows_errors(agency_service, service_editor, sign_in):
    editor = sign_in(Client(), service_editor)
    response = editor.post(
        f"/directory/services/{agency_service.pk}/edit/",
        _form(name="", minimum_age="30", maximum_age="10", url="not a url"),
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_confirming_a_service_brings_it_back(actor, agency, service_editor, sign_in):
    stale = _service(actor, agency, "Stale outreach", days=400)
    assert Client().get(stale.get_absolute_url()).status_code == 404
    editor = sign_in(Client(), service_editor)
    listing = editor.get("/directory/").content.decode()
    assert "Hidden: not checked for a year" in listing
    editor.post(f"/directory/services/{stale.pk}/confirm/")
    stale.refresh_from_db()
    assert stale.last_checked == timezone.localdate()
    assert Client().get(stale.get_absolute_url()).status_code == 200


def test_the_list_flags_services_due_a_check_and_its_query_count_stays_flat(
    actor, agency, service_editor, sign_in
):
    editor = sign_in(Client(), service_editor)
    _service(actor, agency, "Due outreach", days=200)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor.get("/directory/").status_code == 200
        return len(captured)

    few = queries()
    assert "Needs checking" in editor.get("/directory/").content.decode()
    for n in range(10):
        _service(actor, agency, f"More outreach {n}")
    assert queries() == few


def test_editors_are_reminded_of_services_unchecked_for_six_months(actor, agency, service_editor):
    _service(actor, agency, "Due outreach", days=200)
    _service(actor, agency, "Fresh outreach", days=20)
    assert remind_editors_of_unchecked_services() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [service_editor.email]
    assert "Due outreach" in message.body
    assert "Fresh outreach" not in message.body
