"""Project-level views: health checks, public statements and the benchmark anchor."""

from __future__ import annotations

import math

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.models import Fortune
from portal.public import public_page as traceless
from portal.sessions import passive_session, session_seconds_left


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _redis_ok() -> bool:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        return bool(client.ping())
    except redis.RedisError:
        return False


def _health_response(checks: dict[str, bool]) -> JsonResponse:
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and can reach its database."""
    return _health_response({"process": True, "database": _database_ok()})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database and Redis (the Celery broker) both answer."""
    return _health_response({"database": _database_ok(), "redis": _redis_ok()})


@traceless
@require_GET
def public_page(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, template, {"messages": []})


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /partnerships/",
        "Disallow: /accounts/",
        "Disallow: /api/v1/",
        "Disallow: /admin/",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@login_not_required
@require_GET
@cache_control(max_age=31536000, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    path = finders.find("dist/assets/images/favicon.ico")
    if not path:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115


@login_not_required
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    body = (
        "Contact: mailto:security@vawg-portal.uk\n"
        "Expires: 2027-11-24T00:00:00.000Z\n"
        "Preferred-Languages: en\n"
    )
    return HttpResponse(body, content_type="text/plain")


@login_not_required
@require_GET
def fortunes(request: HttpRequest) -> HttpResponse:
    """TechEmpower's "fortunes": one query, one row added in memory, sort, render a template."""
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message="Additional fortune added at request time."))
    rows.sort(key=lambda fortune: fortune.message)
    return render(request, "portal/fortunes.html", {"fortunes": rows})


def _session_state(request: HttpRequest) -> dict:
    # Rounded up, so the browser never decides the session is over before the server does.
    return {"signed_in": True, "seconds_left": math.ceil(session_seconds_left(request.session))}


@login_not_required
@passive_session
@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left. Polled by the timeout warning; not activity (passive)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    return JsonResponse(_session_state(request))


@never_cache
@require_POST
def session_continue(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": an ordinary request, so it counts as activity."""
    return JsonResponse(_session_state(request))


@login_not_required
@never_cache
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    """Where the timeout warning sends the browser once the session has run out."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "account/signed_out.html")
