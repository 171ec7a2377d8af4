"""Whether a session passed the second factor.

allauth keeps a record of each way a session authenticated (`account_authentication_methods`,
tied to the user it was for). A session is verified when it holds an "mfa" record for the
signed-in person: written by allauth's second-factor step at sign-in, or by `mark_verified`
when a person has just proved a new authenticator while enrolling.
"""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def is_verified(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if getattr(request, "session", None) is None or user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def mark_verified(request: HttpRequest, authenticator: Authenticator) -> None:
    """Record that this session proved `authenticator` (a code from it was just checked).

    It counts as a fresh re-authentication too, so the recovery codes shown next need no
    second password prompt.
    """
    record_authentication(
        request,
        request.user,
        method="mfa",
        type=authenticator.type,
        id=authenticator.pk,
        reauthenticated=True,
    )


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def second_factor_within(request: HttpRequest, seconds: float) -> bool:
    """Whether this session proved the second factor in the last `seconds` (at sign-in or at a
    later re-authentication, which allauth records the same way): the step-up check."""
    user = getattr(request, "user", None)
    if getattr(request, "session", None) is None or user is None or not user.is_authenticated:
        return False
    times = [
        record.get("at", 0)
        for record in get_authentication_records(request, user)
        if record.get("method") == "mfa"
    ]
    return bool(times) and time.time() - max(times) < seconds
