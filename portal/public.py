"""No trace on public pages (DESIGN §5): no cookie, no referrer, nothing stored.

Views marked with `public_page` (and the error pages they raise) send
`Referrer-Policy: no-referrer` and `Cache-Control: no-store`, and never a `Set-Cookie`. The
views are written to set no cookie in the first place; dropping any that another layer adds is
the second line of defence. The middleware sits above the session, CSRF and messages
middleware so it sees their cookies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC_FLAG = "directory_public"


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as a public, traceless page (and open it to people who are not signed in)."""
    view = login_not_required(view)
    setattr(view, PUBLIC_FLAG, True)
    return view


class PublicPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, PUBLIC_FLAG, False):
            response.cookies.clear()
            response.headers["Referrer-Policy"] = "no-referrer"
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if getattr(view_func, PUBLIC_FLAG, False):
            setattr(request, PUBLIC_FLAG, True)
