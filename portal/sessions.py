"""Staff sessions: in PostgreSQL, indexed by person, 15 minutes idle and 10 hours at most.

`SESSION_ENGINE = "portal.sessions"`. Each session row carries its user, so deactivating a
person or resetting their second factor ends their sessions with one query. Both limits are
enforced on the server by `SessionLifetimeMiddleware`; requests to views marked
`@passive_session` (the timeout warning's polling) are not activity: they neither move the idle
clock nor save the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

SIGNED_IN_AT = "portal.signed_in_at"
LAST_ACTIVITY_AT = "portal.last_activity_at"
TIMED_OUT_MESSAGE = "You were signed out to keep the information safe. Sign in again to continue."


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[AbstractBaseSession]:
        from portal.models import StaffSession

        return StaffSession

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        instance = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        instance.user_id = int(user_id) if user_id else None
        return instance

    def save(self, must_create: bool = False) -> None:
        """Django turns any database error while saving into `UpdateError`, which the session
        middleware answers with 400 "session interrupted". A lost database connection is an
        outage, not a bad request: let it through, so the person sees 503 (portal/errors.py)."""
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            if isinstance(error.__context__, OperationalError | InterfaceError):
                raise error.__context__ from None
            raise


def passive_session(view: Callable) -> Callable:
    """Mark a view whose requests are not the person's activity (background polling)."""
    view.passive_session = True
    return view


def session_started(*, session, now: float | None = None) -> None:
    """Start both clocks; called when a person signs in."""
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY_AT] = now


def session_seconds_left(session, now: float | None = None) -> float:
    """Seconds until the sooner of the idle and the absolute limit; 0 when already passed."""
    now = time.time() if now is None else now
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return 0.0
    last_activity_at = session.get(LAST_ACTIVITY_AT, signed_in_at)
    idle_left = settings.SESSION_COOKIE_AGE - (now - last_activity_at)
    absolute_left = settings.SESSION_ABSOLUTE_LIFETIME_SECONDS - (now - signed_in_at)
    return max(0.0, min(idle_left, absolute_left))


class SessionLifetimeMiddleware:
    """Sign out a session past its idle or absolute limit; count every other request as activity.

    Runs before `LoginRequiredMiddleware`, which then sends the signed-out request to sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        passive = getattr(view_func, "passive_session", False)
        request.passive_session = passive
        if not request.user.is_authenticated:
            return None
        now = time.time()
        if session_seconds_left(request.session, now) <= 0:
            logout(request)
            if not passive:
                messages.info(request, TIMED_OUT_MESSAGE)
            return None
        if not passive:
            request.session[LAST_ACTIVITY_AT] = now
        return None


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that passive requests never save or extend a session."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        passive = getattr(request, "passive_session", False)
        if passive and session is not None and not session.is_empty():
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
