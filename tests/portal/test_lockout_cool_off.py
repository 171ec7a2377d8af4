"""The sign-in lock (django-axes, database handler) lasts 30 minutes from the last failure."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.security.conftest import password_step, person_with_totp  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ADDRESS = {"REMOTE_ADDR": "192.0.2.30"}


def _lock(person) -> None:
    for _ in range(5):
        password_step(Client(), person, password="wrong-password-000", **ADDRESS)
    assert password_step(Client(), person, **ADDRESS).status_code == 429


def _last_failure_was(minutes_ago: int) -> None:
    when = timezone.now() - timedelta(minutes=minutes_ago)
    assert AccessAttempt.objects.filter(ip_address=ADDRESS["REMOTE_ADDR"]).update(attempt_time=when)


def test_the_lock_holds_for_30_minutes_then_the_right_password_works(person_with_totp):  # noqa: F811
    _lock(person_with_totp)
    _last_failure_was(29)
    assert password_step(Client(), person_with_totp, **ADDRESS).status_code == 429
    _last_failure_was(31)
    response = password_step(Client(), person_with_totp, **ADDRESS)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
