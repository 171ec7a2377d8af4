"""With Redis (the cache) down, the password step and its throttling still work, signed-in
people keep working, and steps that need the cache answer 503 rather than 500.

The outage is real: the cache points at a closed port on 127.0.0.1.
"""

from __future__ import annotations

import socket
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Synthetic-outage-password-1"  # noqa: S105 - synthetic test person


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }


@pytest.fixture
def person():
    user = UserFactory(full_name="Test Outage Person")
    user.set_password(PASSWORD)
    user.save()
    return user


def _password_step(client, user, password):
    return client.post("/accounts/login/", {"login": user.email, "password": password})


def test_five_wrong_passwords_still_lock_the_person_out_with_redis_down(redis_down, person):
    client = Client(raise_request_exception=False)
    wrong = [_password_step(client, person, "wrong-password-000").status_code for _ in range(5)]
    assert wrong == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = _password_step(client, person, PASSWORD)
    assert locked.status_code == 429
    assert b"There have been too many attempts to sign in" in locked.content


def test_the_right_password_passes_the_password_step_with_redis_down(redis_down, person):
    response = _password_step(Client(raise_request_exception=False), person, PASSWORD)
    assert response.status_code == 302


def test_a_signed_in_person_keeps_working_with_redis_down(redis_down, sign_in, commissioner):
    client = sign_in(Client(raise_request_exception=False), commissioner)
    assert client.get("/my-actions/").status_code == 200


def test_a_step_that_needs_the_cache_answers_503_with_redis_down(redis_down, sign_in, person):
    """Re-authentication is rate-limited in the cache: it fails closed, with a plain 503."""
    client = sign_in(Client(raise_request_exception=False), person)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 503
    assert b"Sorry, the service is unavailable" in response.content
    assert b"Traceback" not in response.content


def test_the_second_factor_step_fails_closed_with_redis_down(redis_down, person):
    """Used codes and code attempts are counted in the cache: without it no code is taken."""
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    client = Client(raise_request_exception=False)
    password = _password_step(client, person, PASSWORD)
    assert password.status_code == 302
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(password["Location"], {"code": code})
    assert response.status_code == 503
    assert client.get("/my-actions/").status_code == 302  # not signed in


def test_someone_else_at_the_same_address_can_still_sign_in(redis_down, person):
    """The lock is on the person and address together, not on the address (axes once counted
    every failure against the address alone)."""
    other = UserFactory(full_name="Test Other Person")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(5):
        _password_step(Client(raise_request_exception=False), person, "wrong-password-000")
    assert _password_step(Client(raise_request_exception=False), other, PASSWORD).status_code == 302
