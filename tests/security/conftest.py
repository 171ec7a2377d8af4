"""Helpers for sign-in tests: people with a TOTP authenticator, and codes from it."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from tests.factories import UserFactory

PASSWORD = "test-password-123"


def totp_code(secret: str, *, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture
def person_with_totp(db):
    """A person with a password and an authenticator app; `.totp_secret` holds its secret."""
    user = UserFactory(full_name="Test Two Factor")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.totp_secret = secret
    return user


def password_step(client, user, *, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": user.email, "password": password}, **extra)
