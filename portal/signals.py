"""Receivers for sign-in events: start the session clocks, and count a new second factor."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from portal.sessions import session_started
from portal.verification import SECOND_FACTOR_TYPES, mark_verified


def on_user_logged_in(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(session=request.session)


def on_user_logged_out(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is not None:
        request.signed_out = True


def on_authenticator_added(
    sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs
) -> None:
    """Setting up TOTP or a security key means proving it with a code: the session is verified."""
    if request is not None and authenticator.type in SECOND_FACTOR_TYPES:
        mark_verified(request, authenticator)
