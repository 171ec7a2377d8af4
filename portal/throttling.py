"""Who a sign-in attempt is for, as django-axes counts it.

allauth authenticates with `email=` (our login method), not with the form's `login` field, so
axes' default lookup (`AXES_USERNAME_FORM_FIELD` in the credentials) found no one and counted
every failure against the address alone: five wrong passwords for anyone locked out everybody
behind that address. Counting by the email the attempt named keeps the lock on the person and
address together (AXES_LOCKOUT_PARAMETERS).
"""

from __future__ import annotations

from django.http import HttpRequest


def attempted_login(request: HttpRequest, credentials: dict | None = None) -> str | None:
    credentials = credentials or {}
    named = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if named is None and request is not None:
        named = getattr(request, "POST", {}).get("login")
    return named.strip().lower() if isinstance(named, str) and named.strip() else None
