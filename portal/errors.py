"""Error handlers: a database or Redis outage answers 503 (try again), not 500 (our fault).

While PostgreSQL restarts or fails over, every request that touches it raises
`OperationalError` or `InterfaceError`, from the view or from the session and authentication
middleware. Django turns each of those into a call to `handler500` inside the `except` block,
so the exception is still in hand. The same goes for Redis, the cache behind second-factor
replay protection and the code-attempt limit: those steps fail closed while it is down. This
handler answers a plain GOV.UK page (or JSON for the API) with status 503 and `Retry-After`,
rendered without the request so that it touches neither the database nor the session, and
never with a traceback.
"""

from __future__ import annotations

import sys

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The service is unavailable for a moment. Try again in a few seconds."


def _backing_service_unavailable() -> bool:
    error = sys.exc_info()[1]
    return isinstance(
        error, OperationalError | InterfaceError | redis.ConnectionError | redis.TimeoutError
    )


def service_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if _backing_service_unavailable():
        return service_unavailable(request)
    return defaults.server_error(request, template_name)
