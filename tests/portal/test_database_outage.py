"""A database outage answers 503 with a plain page (or JSON on the API), never a traceback.

The outage is real: the connection is pointed at a closed port on 127.0.0.1 and closed, so the
next request's connect fails exactly as it does while PostgreSQL restarts.
"""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_down():
    """Every new connection fails inside the block; afterwards the real one is restored."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _assert_plain(body: str) -> None:
    for leak in ("Traceback", "OperationalError", "psycopg", "connection to server"):
        assert leak not in body


def test_a_signed_in_page_answers_503_while_the_database_is_down(sign_in, commissioner):
    client = sign_in(Client(raise_request_exception=False), commissioner)
    response = _get_during_outage(client, "/my-actions/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "govuk-heading-xl" in body
    _assert_plain(body)


def test_the_api_answers_json_503_while_the_database_is_down(sign_in, commissioner):
    client = sign_in(Client(raise_request_exception=False), commissioner)
    response = _get_during_outage(client, "/api/v1/actions/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    _assert_plain(response.content.decode())


def test_a_public_page_answers_503_and_sets_no_cookie():
    response = _get_during_outage(Client(raise_request_exception=False), "/find-support/?q=help")
    assert response.status_code == 503
    assert not response.cookies
    _assert_plain(response.content.decode())


def test_the_portal_answers_normally_once_the_database_is_back(sign_in, commissioner):
    client = sign_in(Client(raise_request_exception=False), commissioner)
    assert _get_during_outage(client, "/my-actions/").status_code == 503
    assert client.get("/my-actions/").status_code == 200


def test_a_session_that_cannot_be_saved_in_an_outage_is_an_outage_not_a_bad_request(
    sign_in, commissioner
):
    """Django would answer 400 "session interrupted"; a lost database must answer 503."""
    from portal.sessions import SessionStore

    client = sign_in(Client(), commissioner)
    session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    session["portal.drill"] = "touched"
    with database_down(), pytest.raises(OperationalError):
        session.save()


def _get_during_outage(client: Client, path: str):
    with database_down():
        return client.get(path)
