"""Sessions: 15 minutes idle, 10 hours at most, on the server; polling is not activity."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnership.services import person_deactivate
from portal.models import StaffSession
from portal.sessions import LAST_ACTIVITY_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

IDLE = settings.SESSION_COOKIE_AGE
ABSOLUTE = settings.SESSION_ABSOLUTE_LIFETIME_SECONDS


def _move_clocks(client, *, signed_in_ago: float, active_ago: float) -> None:
    """Pretend the session started and was last used that many seconds ago."""
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_ACTIVITY_AT] = now - active_ago
    session.save()


def _is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.fixture
def client(commissioner, sign_in):
    return sign_in(Client(), commissioner)


def test_signing_in_starts_both_clocks(client):
    assert client.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=5)
    assert client.session[LAST_ACTIVITY_AT] == pytest.approx(time.time(), abs=5)


def test_a_session_idle_for_15_minutes_is_over(client):
    _move_clocks(client, signed_in_ago=IDLE + 60, active_ago=IDLE - 30)
    assert client.get(reverse("partnership:home")).status_code == 302
    assert client.get(reverse("partnership:home"), follow=True).status_code == 200
    _move_clocks(client, signed_in_ago=IDLE + 60, active_ago=IDLE + 1)
    assert _is_sent_to_sign_in(client.get(reverse("partnership:home")))
    assert "_auth_user_id" not in client.session


def test_the_database_row_expires_after_15_minutes_idle(client):
    """Even without our clocks, the stored session's expiry is 15 minutes after last use."""
    row = StaffSession.objects.get(session_key=client.session.session_key)
    remaining = (row.expire_date - timezone.now()).total_seconds()
    assert IDLE - 30 < remaining <= IDLE
    StaffSession.objects.filter(pk=row.pk).update(expire_date=timezone.now())
    assert _is_sent_to_sign_in(client.get(reverse("partnership:home")))


def test_a_session_ends_after_10_hours_however_busy(client):
    _move_clocks(client, signed_in_ago=ABSOLUTE - 60, active_ago=1)
    assert client.get(reverse("partnership:home")).status_code == 302
    assert not _is_sent_to_sign_in(client.get(reverse("partnership:home")))
    _move_clocks(client, signed_in_ago=ABSOLUTE + 1, active_ago=1)
    assert _is_sent_to_sign_in(client.get(reverse("partnership:home")))
    assert "_auth_user_id" not in client.session


def test_polling_does_not_extend_the_session(client):
    """The timeout warning's status requests move neither clock nor the stored expiry."""
    _move_clocks(client, signed_in_ago=600, active_ago=600)
    key = client.session.session_key
    before = StaffSession.objects.get(session_key=key).expire_date
    for _ in range(3):
        status = client.get(reverse("session_status"))
        assert status.status_code == 200
        assert IDLE - 600 - 5 <= status.json()["seconds_left"] <= IDLE - 600
    assert StaffSession.objects.get(session_key=key).expire_date == before
    assert client.session[LAST_ACTIVITY_AT] == pytest.approx(time.time() - 600, abs=5)
    _move_clocks(client, signed_in_ago=IDLE + 1, active_ago=IDLE + 1)
    assert client.get(reverse("session_status")).status_code == 401


def test_staying_signed_in_is_activity(client):
    _move_clocks(client, signed_in_ago=IDLE - 60, active_ago=IDLE - 60)
    response = client.post(reverse("session_continue"))
    assert response.status_code == 200
    assert response.json()["seconds_left"] >= IDLE - 5
    assert client.session[LAST_ACTIVITY_AT] == pytest.approx(time.time(), abs=5)


def test_the_status_refuses_anonymous_people():
    assert Client().get(reverse("session_status")).status_code == 401


def test_the_signed_out_page_is_plain_and_public():
    response = Client().get(reverse("signed_out"))
    assert response.status_code == 200
    assert b"You have been signed out" in response.content


def test_deactivating_a_person_ends_every_session_they_have(
    commissioner, partnership_admin, partnership, sign_in
):
    phone, laptop = sign_in(Client(), commissioner), sign_in(Client(), commissioner)
    colleague = sign_in(Client(), partnership_admin)
    person_deactivate(acting_user=partnership_admin, user=commissioner, partnership=partnership)
    assert not StaffSession.objects.filter(user=commissioner).exists()
    for client in (phone, laptop):
        assert _is_sent_to_sign_in(client.get(reverse("partnership:home")))
    assert colleague.get(reverse("partnership:home")).status_code == 302
    assert not _is_sent_to_sign_in(colleague.get(reverse("partnership:home")))


def test_signing_out_ends_the_session_for_good(client):
    """A copy of the cookie taken before signing out is useless afterwards; the browser is
    told to forget cached pages."""
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not StaffSession.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert _is_sent_to_sign_in(replay.get(reverse("partnership:home")))


def test_a_timed_out_request_clears_the_browser_too(client):
    _move_clocks(client, signed_in_ago=IDLE + 60, active_ago=IDLE + 1)
    response = client.get(reverse("partnership:home"))
    assert _is_sent_to_sign_in(response)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
