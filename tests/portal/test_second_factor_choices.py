"""Enrolment offers both second factors: an authenticator app (TOTP) and a security key or
passkey (WebAuthn); a person who has neither may open either set-up page, and nothing else."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import password_step

pytestmark = pytest.mark.django_db


def test_enrolment_offers_an_authenticator_app_and_a_security_key(commissioner):
    client = Client()
    password_step(client, commissioner)
    page = client.get(reverse("mfa_index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("mfa_activate_totp") in html
    assert reverse("mfa_add_webauthn") in html
    assert "Add a security key" in html
    for name in ("mfa_activate_totp", "mfa_add_webauthn"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("partnership:home"))["Location"] == reverse("mfa_index")
