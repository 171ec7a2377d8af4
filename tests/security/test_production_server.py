"""Headers and cookies on a running server as in production (issue 11, DESIGN §5).

gunicorn, with the project's gunicorn.conf.py and production settings (DJANGO_DEBUG=0 and
freshly generated secrets), listens on 127.0.0.1 and a free port behind a pretend TLS proxy:
each request carries `X-Forwarded-Proto: https` and the production host name, as the proxy's
would. A person signs in through the real forms (password, then the authenticator's code).
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet
from django.conf import global_settings, settings
from django.db import connection
from django.test import override_settings

from tests.security.conftest import PASSWORD, totp_code

ROOT = Path(__file__).resolve().parents[2]
HOST = "portal.example.org"
PRODUCTION_HASHERS = global_settings.PASSWORD_HASHERS  # portal.settings keeps Django's own


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: str = "", https: bool = True, **headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": HOST, **headers}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.text = response.read().decode(errors="replace")
        response.set_cookies = response.headers.get_all("Set-Cookie") or []
        for cookie in response.set_cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "tests.security.server_settings",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "DJANGO_ENV_FILE": str(tmp_path / "no.env"),
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        running = Server(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if running.request("GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.3)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser(server):
    """The running server, asked by a browser with an empty cookie jar."""
    server.cookies.clear()
    return server


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


def _assert_security_headers(response) -> str:
    """The headers every answer carries; returns the CSP nonce."""
    directives = _directives(response)
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    assert nonce, directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts
    # same-origin on staff pages; the public directory sends no referrer at all
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    return nonce.group(1)


def _attributes(cookie: str) -> tuple[str, set[str], dict[str, str]]:
    parts = [part.strip() for part in cookie.split(";")]
    name = parts[0].split("=", 1)[0]
    flags = {part.lower() for part in parts[1:] if "=" not in part}
    values = {k.lower(): v for k, _, v in (p.partition("=") for p in parts[1:] if "=" in p)}
    return name, flags, values


def _assert_host_cookie(cookie: str, *, http_only: bool) -> None:
    """`__Host-`: Secure, Path=/, no Domain (so no subdomain can set or read it); SameSite."""
    name, flags, values = _attributes(cookie)
    assert name.startswith("__Host-"), cookie
    assert "secure" in flags, cookie
    assert values.get("path") == "/", cookie
    assert "domain" not in values, cookie
    assert values.get("samesite", "").lower() in {"lax", "strict"}, cookie
    assert ("httponly" in flags) == http_only, cookie


def test_public_pages_send_the_policy_and_set_no_cookie(browser):
    server = browser
    for path in ("/", "/find-support/?q=refuge&postcode=W2", "/staying-safe-online/"):
        response = server.request("GET", path)
        assert response.status == 200, (path, response.status)
        _assert_security_headers(response)
        assert response.set_cookies == [], (path, response.set_cookies)
    assert server.cookies == {}


def test_plain_http_is_sent_to_https(browser):
    server = browser
    """Without the proxy's header the request was not TLS: redirected, nothing served."""
    response = server.request("GET", "/find-support/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/find-support/"


@pytest.mark.django_db(transaction=True)  # the server must see the person: committed
def test_signing_in_sets_host_prefixed_secure_cookies_and_staff_pages_carry_nonces(
    browser, commissioner
):
    server = browser
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password

    # The tests hash with MD5 for speed; the server knows only production's hashers.
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        commissioner.password = make_password(PASSWORD)
    commissioner.save(update_fields=["password"])
    secret = generate_totp_secret()
    TOTP.activate(commissioner, secret)
    origin = {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/"}

    login_page = server.request("GET", "/accounts/login/")
    assert login_page.status == 200
    _assert_security_headers(login_page)
    (csrf_cookie,) = [c for c in login_page.set_cookies if "csrftoken" in c]
    _assert_host_cookie(csrf_cookie, http_only=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)

    body = urlencode(
        {"csrfmiddlewaretoken": token, "login": commissioner.email, "password": PASSWORD}
    )
    password_step = server.request("POST", "/accounts/login/", body=body, **origin)
    assert password_step.status == 302, password_step.text[:500]
    code_page = server.request("GET", password_step.headers["Location"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', code_page.text).group(1)
    code_step = server.request(
        "POST",
        password_step.headers["Location"],
        body=urlencode({"csrfmiddlewaretoken": token, "code": totp_code(secret)}),
        **origin,
    )
    assert code_step.status == 302, code_step.text[:500]
    sessions = [c for c in code_step.set_cookies if "sessionid" in c]
    assert sessions, code_step.set_cookies
    _assert_host_cookie(sessions[-1], http_only=True)
    # every cookie set along the way is a __Host- one (no `messages` cookie naming the person)
    for cookie in login_page.set_cookies + password_step.set_cookies + code_step.set_cookies:
        _assert_host_cookie(cookie, http_only=True)

    staff = server.request("GET", "/staff/")
    assert staff.status == 302
    page = server.request("GET", staff.headers["Location"])
    assert page.status == 200, page.status
    nonce = _assert_security_headers(page)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page.text)
    assert inline_scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)
    assert "no-store" in page.headers["Cache-Control"]
    assert (
        server.request("GET", staff.headers["Location"]).headers["Content-Security-Policy"]
        != page.headers["Content-Security-Policy"]
    ), "a nonce is never reused"


def test_check_deploy_passes_with_production_settings(tmp_path):
    """`manage.py check --deploy --fail-level WARNING` with production settings exits 0."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "DJANGO_ENV_FILE": str(tmp_path / "no.env"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
