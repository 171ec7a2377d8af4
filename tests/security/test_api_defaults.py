"""DRF views skip LoginRequiredMiddleware, so DRF's defaults must refuse by themselves."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.api_urls")]


def test_the_staff_api_answers_a_verified_session(person_with_totp, sign_in):
    response = sign_in(Client(), person_with_totp).get("/api/v1/probe/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_the_staff_api_refuses_a_session_without_the_second_factor(commissioner):
    """Signed in with the password only: refused, though the view sets no permission."""
    client = Client()
    client.force_login(commissioner)
    response = client.get("/api/v1/probe/")
    assert response.status_code == 403


def test_the_staff_api_refuses_anonymous_people():
    assert Client().get("/api/v1/probe/").status_code in {401, 403}


def test_the_staff_api_takes_sessions_only():
    """No token or basic authentication: sessions only, so no long-lived credentials."""
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication"
    ]
    response = Client().get(
        "/api/v1/probe/", HTTP_AUTHORIZATION="Basic cGVyc29uOnRlc3QtcGFzc3dvcmQtMTIz"
    )
    assert response.status_code in {401, 403}


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("partnership_admin", 200, 200),
        ("commissioner", 200, 403),
        ("marac_representative", 200, 403),
        ("outsider", 404, 404),
    ],
)
def test_objects_are_checked_on_get_too_by_the_apps_own_rules(
    role, read, write, request, partnership, sign_in
):
    """Out of scope answers 404 like a missing record; in scope but read-only cannot write."""
    person = request.getfixturevalue(role)
    client = sign_in(Client(), person)
    url = f"/api/v1/scoped/{partnership.slug}/"
    assert client.get(url).status_code == read
    response = client.patch(url, {"description": "Changed"}, content_type="application/json")
    assert response.status_code == write
    partnership.refresh_from_db()
    assert (partnership.description == "Changed") == (write == 200)


def test_a_view_that_names_no_scope_is_refused(partnership_admin, partnership, sign_in):
    """Deny by default: DRF's own classes would have let any signed-in person GET it."""
    client = sign_in(Client(), partnership_admin)
    assert client.get(f"/api/v1/unscoped/{partnership.slug}/").status_code == 403
