"""Fuzzing the staff API against its own OpenAPI schema (issue 11), once per role.

Schemathesis generates requests for every operation of drf-spectacular's schema (the one
/api/schema/ serves, generated in-process) and sends them to the portal's WSGI application in
this process, so nothing leaves it. Every built-in check runs on every answer: no 500s, status
codes, content types, headers and bodies as the schema says, rejected invalid data, accepted
valid data, and authentication not ignored. Anonymous people and sessions without the second
factor must be refused (401/403) on every operation, whatever is sent.

The number of examples per operation and role is capped (API_FUZZ_EXAMPLES, default 6) so the
whole fuzz fits in `make test`; `make drills` may raise it.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.security.matrix_world import NOBODY, ROLES, module_world, session_cookie

# Rules OpenAPI 3.0 cannot state, so a schema-valid request may rightly be refused (400):
# the indicators' period must not start after it ends.
CROSS_FIELD_RULES = {"/api/v1/marac/indicators/": [positive_data_acceptance]}
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
pytestmark = pytest.mark.django_db

world = module_world(reports=False)

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()
fuzzing = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; the test client
    stops it doing so, and so must this fuzz, which calls the handler itself."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _signed_in_as(case, actor) -> None:
    """Put the actor's real session where the case carries the schema's session cookie. A case
    generated without it (to test that authentication is not ignored) is sent without it."""
    name = django_settings.SESSION_COOKIE_NAME
    cookie = session_cookie(actor.client) if actor.client else None
    if case.cookies and name in case.cookies:
        if cookie:
            case.cookies[name] = cookie
        else:
            del case.cookies[name]


def test_the_schema_covers_the_staff_api():
    paths = set(schema.raw_schema["paths"])
    assert "/api/v1/marac/cases/{id}/" in paths
    assert "/api/v1/actions/{id}/progress-updates/" in paths
    assert all(path.startswith("/api/v1/") for path in paths)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@fuzzing
def test_every_operation_keeps_to_its_schema_for_each_role(case, role, world):
    """Signed in with the second factor, in partnership "a" through its first agency."""
    _sides, actors = world
    _signed_in_as(case, actors[f"{role}@a1"])
    case.call_and_validate(excluded_checks=CROSS_FIELD_RULES.get(case.operation.path))


@pytest.mark.parametrize("nobody", NOBODY)
@schema.parametrize()
@fuzzing
def test_nobody_signed_out_or_unverified_gets_past_authentication(case, nobody, world):
    _sides, actors = world
    _signed_in_as(case, actors[nobody])
    response = case.call()
    if response.status_code == 404:  # no route at all (an id that is not a number): no view ran
        with pytest.raises(Resolver404):
            resolve(unquote(urlsplit(response.request.url).path))
        return
    assert response.status_code in {401, 403}, (
        f"{case.method} {case.formatted_path} answered {response.status_code} to {nobody}"
    )
