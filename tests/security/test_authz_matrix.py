"""The whole-portal authorisation matrix (issue 11): every route × GET and POST × actor.

The expected answers are declared once, in `matrix_table.MATRIX`; this module walks the URL
resolver, fails on any route the table does not name, and sends every request of the table.

`make test` runs every role in partnership "a" through each of its two agencies, plus an
anonymous person, a person deactivated after signing in and a person without a second factor.
`AUTHZ_MATRIX=full` (as `make drills` runs it) adds every role of partnership "b" too, whose
own records are then b's and foreign ones a's.

For each actor and route: the answer on its own partnership's record is the table's; on the
other partnership's record it is exactly the answer to a missing record (status and body); the
other partnership's marker is in no answer at all, allowed or not; nobody signed out or
unverified gets anything but a redirect to sign in or to set up a second factor (pages) or
401/403 (the API). Each request runs in a transaction rolled back afterwards, so a POST that
succeeds changes nothing for the next one and the world is built once per module.
"""

from __future__ import annotations

import os
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import matrix_table
from tests.security.matrix_table import FAMILIES, MATRIX, Row
from tests.security.matrix_world import (
    AGENCIES,
    MISSING_INT,
    MISSING_UUID,
    NOBODY,
    PARTNERSHIPS,
    ROLES,
    Actor,
    Side,
    module_world,
    session_cookie,
)

FULL = os.environ.get("AUTHZ_MATRIX") == "full"


def _agency_sensitive_roles() -> set[str]:
    """Roles whose answers the table makes depend on the agency ("idva@1")."""
    names = {
        name
        for row in MATRIX.values()
        for answers in (row.get, row.post)
        for _status, who in answers.rules
        for name in who
    }
    return {name.split("@")[0] for name in names if "@" in name}


def actor_keys() -> list[str]:
    """Full: every role in both partnerships through both agencies. Otherwise partnership a:
    every role through its first agency, and through the second where the table says the
    agency matters; partnership b's records are then the foreign ones."""
    if FULL:
        keys = [f"{r}@{p}{n}" for p in PARTNERSHIPS for r in ROLES for n in AGENCIES]
    else:
        sensitive = _agency_sensitive_roles()
        keys = [f"{r}@a{n}" for r in ROLES for n in AGENCIES if n == 1 or r in sensitive]
    return keys + list(NOBODY)


# Public routes answer everyone alike: without AUTHZ_MATRIX=full they are asked by these.
PUBLIC_ASKERS = {"anonymous", "unverified", "commissioner@a1"}
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
PATH_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
REDIRECTS = {301, 302, 303}
pytestmark = pytest.mark.django_db


# --- the routes -----------------------------------------------------------------------------


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def table_key(route: str) -> str:
    """A route as the table names it: regex groups shown as <name>."""
    return GROUP.sub(r"<\1>", route)


def portal_routes() -> dict[str, str]:
    """Every route of the URL resolver outside the declared families, by its table key."""
    routes = {}
    for route in _walk(get_resolver().url_patterns):
        if not route.startswith(tuple(FAMILIES)):
            routes[table_key(route)] = route
    return routes


def fill(route: str, kwargs: dict) -> str:
    """The path of a route for these arguments; keys starting with "?" are query parameters."""
    query = "&".join(f"{k[1:]}={v}" for k, v in kwargs.items() if k.startswith("?"))
    return _path(route, kwargs) + (f"?{query}" if query else "")


def _path(route: str, kwargs: dict) -> str:
    if route.count("^"):
        path = GROUP.sub(lambda m: str(kwargs[m[1]]), route)
        path = path.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
    else:
        path = PATH_ARGUMENT.sub(lambda m: str(kwargs[m[1]]), route)
    return "/" + path


def missing(kwargs: dict, name: str = "") -> dict:
    """The same arguments with `name` (else the last record id, else the last slug) pointing at
    nothing."""
    kwargs = dict(kwargs)
    ids = [k for k, v in kwargs.items() if isinstance(v, int | uuid.UUID)]
    name = name or (ids or list(kwargs))[-1]
    value = kwargs[name]
    kwargs[name] = (
        MISSING_INT
        if isinstance(value, int)
        else MISSING_UUID
        if isinstance(value, uuid.UUID)
        else "no-such-record"
    )
    return kwargs


def test_every_route_is_in_the_matrix():
    """A route the table does not name fails here, by name: add its row to matrix_table."""
    routes = portal_routes()
    unlisted = sorted(set(routes) - set(MATRIX))
    assert not unlisted, "Routes missing from tests/security/matrix_table.py MATRIX: " + ", ".join(
        repr(route) for route in unlisted
    )
    stale = sorted(set(MATRIX) - set(routes))
    assert not stale, "MATRIX rows for routes that no longer exist: " + ", ".join(stale)


def test_the_table_names_only_real_roles_and_agencies():
    """A typo in a row ("comissioner") would silently deny; every name must be a role."""
    for route, row in MATRIX.items():
        assert isinstance(row, Row), route
        for answers in (row.get, row.post):
            for _status, who in answers.rules:
                for name in who:
                    role, _, agency = name.partition("@")
                    assert role in ROLES, (route, name)
                    assert agency in {"", *map(str, AGENCIES)}, (route, name)


# --- the world and the requests ----------------------------------------------------------------


world = module_world()


class Answer:
    def __init__(self, status: int, body: str, location: str = "", cookies: bool = False):
        self.status, self.body, self.location, self.cookies = status, body, location, cookies


def send(actor: Actor, method: str, path: str, kind: str) -> Answer:
    """One request, in a transaction rolled back afterwards; the session cookie kept."""
    client, cookie = actor.client, session_cookie(actor.client)
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(path)
            elif kind == "api":
                response = client.post(path, {}, content_type="application/json")
            else:
                response = client.post(path, {})
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - a crash is an answer to report, not to hide
        return Answer(500, f"{type(error).__name__}: {error}")
    finally:
        if cookie is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    body = b"" if response.streaming else response.content
    return Answer(
        response.status_code,
        body.decode(errors="replace"),
        urlsplit(response.get("Location", "")).path,
        bool(response.cookies),
    )


def normalised(body: str) -> str:
    """A body without what differs by request: nonces, CSRF tokens, the path asked for."""
    body = re.sub(r'nonce="[^"]*"|value="[^"]*"|nonce-[A-Za-z0-9+/=_-]+', "", body)
    return re.sub(r'"(?:/[\w.-]*)+/"', '""', body)


def _refused_nobody(actor: Actor, kind: str, answer: Answer) -> str | None:
    if kind == "api":
        return None if answer.status in {401, 403} else f"answered {answer.status}"
    if answer.status not in REDIRECTS:
        return f"answered {answer.status}, not a redirect"
    wanted = {reverse(settings.LOGIN_URL)}
    if actor.key == "unverified":
        wanted = {reverse("mfa_index"), reverse(settings.LOGIN_URL)}
    return None if answer.location in wanted else f"redirected to {answer.location}"


class Checker:
    def __init__(self, sides: dict[str, Side], actor: Actor):
        self.actor, self.problems = actor, []
        own = actor.partnership or "a"
        self.own = sides[own]
        self.foreign = next(side for name, side in sides.items() if name != own)

    def problem(self, route: str, method: str, what: str) -> None:
        self.problems.append(f"{method.upper()} {route}: {what}")

    def leaks(self, route: str, method: str, answer: Answer, *, public: bool) -> None:
        if not public and self.foreign.marker in answer.body:
            self.problem(route, method, f"shows the other partnership's {self.foreign.marker}")

    def check(self, key: str, route: str, row: Row) -> None:
        if row.kind == "public" and not FULL and self.actor.key not in PUBLIC_ASKERS:
            return
        for method in ("get", "post"):
            expected = getattr(row, method)
            targets = {"own": row.target(self.own) if row.target else {}}
            refused_first = expected.default == 405 and not expected.rules
            asks_missing = self.actor.signed_in or row.kind == "public"
            if row.target and asks_missing and not refused_first:
                targets["missing"] = missing(targets["own"], row.missing)
                if row.foreign and row.kind != "public":
                    targets["foreign"] = row.target(self.foreign)
            got = {
                name: send(self.actor, method, fill(route, kwargs), row.kind)
                for name, kwargs in targets.items()
            }
            for answer in got.values():
                self.leaks(key, method, answer, public=row.kind == "public")
            if row.kind == "public":
                self.public(key, method, expected.default, got)
            elif not self.actor.signed_in:
                for name, answer in got.items():
                    refused = _refused_nobody(self.actor, row.kind, answer)
                    if refused:
                        self.problem(key, method, f"{self.actor.key} on {name}: {refused}")
            else:
                status = expected.status_for(self.actor.role, self.actor.agency)
                self.staff(key, method, status, got)

    def public(self, key: str, method: str, status: int, got: dict[str, Answer]) -> None:
        if got["own"].status != status:
            self.problem(key, method, f"answered {got['own'].status}, the table says {status}")
        if "missing" in got and method == "get" and got["missing"].status != 404:
            self.problem(key, method, f"a missing record answered {got['missing'].status}")
        if self.actor.key == "anonymous" and got["own"].cookies:
            self.problem(key, method, "set a cookie on a public page")

    def staff(self, key: str, method: str, status: int, got: dict[str, Answer]) -> None:
        if got["own"].status != status:
            self.problem(key, method, f"answered {got['own'].status}, the table says {status}")
        if "missing" not in got:
            return
        gone = got["missing"]
        if "foreign" in got:
            other = got["foreign"]
            if other.status != gone.status:
                self.problem(key, method, f"another partnership's {other.status} != {gone.status}")
            elif normalised(other.body) != normalised(gone.body):
                self.problem(key, method, "another partnership's record answers unlike missing")
        own = got["own"]
        if own.status == 404 and normalised(own.body) != normalised(gone.body):
            self.problem(key, method, "a refused record answers unlike a missing one")


@pytest.mark.parametrize("key", actor_keys())
def test_every_route_answers_each_actor_as_the_table_says(key, world):
    sides, actors = world
    checker = Checker(sides, actors[key])
    for table_route, route in sorted(portal_routes().items()):
        checker.check(table_route, route, MATRIX[table_route])
    assert not checker.problems, f"{key}:\n" + "\n".join(checker.problems)


def test_the_admin_refuses_every_person_of_the_portal(world):
    """No portal role makes anyone staff: every admin page sends them to sign in as staff."""
    sides, actors = world
    admin_paths = [
        "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)
        for route in _walk(get_resolver().url_patterns)
        if route.startswith("admin/") and "(?P" not in route and "^" not in route
    ]
    assert len(admin_paths) > 10
    for key in (f"{matrix_table.ADMIN}@a1", f"{matrix_table.DPL}@a1", "unverified", "anonymous"):
        for path in admin_paths:
            answer = send(actors[key], "get", path, "page")
            # signed in but not staff: the admin's sign-in page itself answers 403
            assert answer.status in REDIRECTS | {403, 404}, (key, path, answer.status)
            assert sides["a"].marker not in answer.body
