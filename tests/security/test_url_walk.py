"""Deny by default (DESIGN §4, §6): every route outside the public map refuses anonymous people.

The walk reads the URL resolver, so routes added later are walked without being listed here.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# DESIGN §6's public URL map: these prefixes (or exact paths) may answer anyone.
# The admin's login is allauth's (secure_admin_login), so it counts as a sign-in page.
PUBLIC_EXACT = {"/", "/healthz", "/readyz", "/robots.txt", "/favicon.ico", "/admin/login/"}
PUBLIC_PREFIXES = (
    "/find-support/",
    "/staying-safe-online/",
    "/exit/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/reports/public/",
    "/api/oruk/",
    "/static/",
    "/.well-known/",
    "/accounts/",
)
ALLOWED_ANONYMOUS = {401, 403, 404}
SAMPLE_VALUES = {
    "int": "1",
    "slug": "sample-slug",
    "uuid": str(uuid.UUID(int=1)),
    "str": "sample",
    "path": "sample/path",
}
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _sample_path(route: str) -> str:
    """A concrete path for a route: `path()` arguments get a sample value, regex groups too."""
    if route.startswith("^") or "(?P<" in route or "\\" in route:
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", "1", route)
        route = re.sub(r"\(\?:[^)]*\)[?*]?", "", route)
        route = route.replace("^", "").replace("$", "").replace("\\", "").replace("?", "")
        route = route.replace("Z", "")
    else:
        route = ARGUMENT.sub(lambda m: SAMPLE_VALUES.get(m["converter"] or "str", "1"), route)
    return "/" + route


def all_paths() -> list[str]:
    return sorted({_sample_path(route) for route, _ in _walk(get_resolver().url_patterns)})


def private_views() -> list[tuple[str, object]]:
    views = [(_sample_path(route), view) for route, view in _walk(get_resolver().url_patterns)]
    return [(path, view) for path, view in views if not is_public(path)]


def is_public(path: str) -> bool:
    return path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIXES)


def _refuses(response) -> bool:
    if response.status_code in ALLOWED_ANONYMOUS:
        return True
    if response.status_code in {301, 302, 303, 307, 308}:
        location = urlsplit(response["Location"]).path
        return location in {reverse(settings.LOGIN_URL), reverse("admin:login")}
    return False


def test_the_walk_finds_the_staff_pages_and_the_admin():
    """The walk really does cover staff pages, the admin and the API when they exist."""
    paths = all_paths()
    assert "/partnerships/sample-slug/" in paths
    assert "/admin/" in paths
    assert any(path.startswith("/admin/partnership/") for path in paths)


@pytest.mark.django_db
def test_the_admin_login_sends_anonymous_people_to_allauth():
    """/admin/login/ is allauth's sign-in (with the second factor), not Django's own form."""
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse(settings.LOGIN_URL)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in all_paths() if not is_public(p)])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_private_route_refuses_anonymous_people(path, method):
    """Anonymous requests get a redirect to sign-in, 401, 403 or 404 — never the page."""
    response = getattr(Client(), method)(path)
    assert _refuses(response), (
        f"{method.upper()} {path} answered {response.status_code} "
        f"{response.get('Location', '')} to an anonymous request"
    )


def test_only_the_public_map_is_exempt_from_sign_in():
    """`login_not_required` appears only on public routes, the admin (which signs in through
    allauth) and DRF views, which DRF marks exempt and which the next test checks."""
    exempt = [
        path
        for path, view in private_views()
        if getattr(view, "login_required", True) is False
        and not hasattr(view, "cls")
        and not path.startswith("/admin/")
    ]
    assert exempt == []


def test_every_private_api_view_requires_a_verified_session_and_checks_objects():
    """DRF views skip LoginRequiredMiddleware: off the public map they keep the defaults."""
    from portal.api_permissions import IsVerifiedStaff, ObjectInScope

    for path, view in private_views():
        if not hasattr(view, "cls"):
            continue
        classes = view.cls.permission_classes
        assert any(issubclass(c, IsVerifiedStaff) for c in classes), path
        if hasattr(view.cls, "get_object"):
            assert any(issubclass(c, ObjectInScope) for c in classes), path
