"""Security headers (DESIGN §5): nonce CSP, framing, referrer, no-store; HSTS in production."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


def test_signed_in_pages_carry_the_nonce_csp_and_are_never_stored(commissioner, sign_in):
    response = sign_in(Client(), commissioner).get("/staff/", follow=True)
    assert response.status_code == 200
    directives = _directives(response)
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    html = response.content.decode()
    # Every inline script (GOV.UK Frontend's `govuk-frontend-supported` one too) has the nonce.
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_sign_in_page_is_framed_by_nobody():
    response = Client().get("/accounts/login/")
    assert _directives(response)["frame-ancestors"] == "'none'"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_settings_send_hsts_and_host_prefixed_secure_cookies():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"},
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "DJANGO_SECRET_KEY": "production-like-" + "k" * 50,
        "FIELD_ENCRYPTION_KEYS": "Vd5rj9SAdO6lI6ZP2i6XxkXKhBt5Ub1LvPG4Yl9mPq0=",
        "BLIND_INDEX_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "DJANGO_ENV_FILE": "/nonexistent/.env",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_AGE, s.SESSION_ABSOLUTE_LIFETIME_SECONDS, s.SESSION_ENGINE]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    hsts, session_name, csrf_name, secure, csrf_secure, httponly, idle, absolute, engine = (
        json.loads(result.stdout)
    )
    assert hsts >= 31536000
    assert session_name.startswith("__Host-")
    assert csrf_name.startswith("__Host-")
    assert secure
    assert csrf_secure
    assert httponly
    assert (idle, absolute) == (15 * 60, 10 * 60 * 60)
    assert engine == "portal.sessions"
