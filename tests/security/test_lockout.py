"""Throttling (django-axes, database handler): 5 failures per person and address, 30 minutes."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.security.conftest import password_step

pytestmark = pytest.mark.django_db

ADDRESS_A = {"REMOTE_ADDR": "192.0.2.10"}
ADDRESS_B = {"REMOTE_ADDR": "192.0.2.20"}
NEUTRAL = b"There have been too many attempts to sign in with these details"


class Nobody:
    email = "nobody@test.vawg-portal.invalid"


def _fail_five_times(client, user, address):
    for _ in range(5):
        response = password_step(client, user, password="wrong-password-000", **address)
    return response


def test_five_failures_lock_that_person_at_that_address(person_with_totp):
    """After five wrong passwords even the right one is refused from that address, for
    30 minutes; the same person from another address can still sign in."""
    client = Client()
    _fail_five_times(client, person_with_totp, ADDRESS_A)
    locked = password_step(client, person_with_totp, **ADDRESS_A)
    assert locked.status_code == 429
    assert NEUTRAL in locked.content
    assert person_with_totp.email.encode() not in locked.content
    attempt = AccessAttempt.objects.get(ip_address="192.0.2.10")
    assert attempt.failures_since_start >= 5

    elsewhere = password_step(Client(), person_with_totp, **ADDRESS_B)
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == reverse("mfa_authenticate")


def test_the_lockout_message_does_not_say_whether_the_account_exists(person_with_totp):
    """A real account and an address nobody holds get the same page and status."""
    _fail_five_times(Client(), person_with_totp, ADDRESS_A)
    real = password_step(Client(), person_with_totp, **ADDRESS_A)
    _fail_five_times(Client(), Nobody, ADDRESS_A)
    unknown = password_step(Client(), Nobody, **ADDRESS_A)
    assert real.status_code == unknown.status_code == 429
    assert _main(real) == _main(unknown)


def _main(response) -> bytes:
    """The page's main content (the rest carries per-request nonces and tokens)."""
    content = response.content
    return content[content.index(b"<main") : content.index(b"</main>")]


def test_a_wrong_password_says_nothing_about_the_account(person_with_totp):
    """Before the lockout, a wrong password and an unknown address read the same."""
    wrong = password_step(Client(), person_with_totp, password="wrong-password-000")
    unknown = password_step(Client(), Nobody)
    assert wrong.status_code == unknown.status_code == 200
    assert b"There is a problem" in wrong.content
    messages = [r.context["form"].non_field_errors() for r in (wrong, unknown)]
    assert messages[0] == messages[1]


def test_second_factor_codes_are_limited_to_five_in_five_minutes(person_with_totp):
    """Guessing codes stops after five tries, even the right code is then refused."""
    from tests.security.conftest import totp_code

    client = Client()
    password_step(client, person_with_totp, **ADDRESS_A)
    for _ in range(5):
        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200
    right = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(person_with_totp.totp_secret)}
    )
    assert right.status_code == 200
    assert b"You have entered too many codes" in right.content
    assert "_auth_user_id" not in client.session
