"""Signed-in, second-factor-verified sessions for benchmark users (bench only).

A session made here holds exactly what allauth's sign-in with a TOTP step leaves behind (a
password and an "mfa" authentication record) and starts both session clocks, so every staff
page and `/api/v1/` answer it as they would a person who has just signed in. Run inside Django.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone

from partnership.models import User
from portal.models import StaffSession
from portal.sessions import SessionStore, session_started


def _session_data(user: User, now: float) -> dict:
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        "account_authentication_methods": [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ],
        "account_authentication_methods_user": str(user.pk),
    }
    session_started(session=data, now=now)
    return data


def verified_session_cookies(users: Iterable[User]) -> list[str]:
    """One new verified session per user, written in one insert; `NAME=KEY` cookie strings."""
    now = time.time()
    store = SessionStore()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = [
        StaffSession(
            session_key=store._get_new_session_key(),
            session_data=store.encode(_session_data(user, now)),
            expire_date=expires,
            user_id=user.pk,
        )
        for user in users
    ]
    StaffSession.objects.bulk_create(rows)
    return [f"{settings.SESSION_COOKIE_NAME}={row.session_key}" for row in rows]


def verified_session_cookie(user: User) -> str:
    return verified_session_cookies([user])[0]
