"""The invitation link sets a password; a second factor is then set up before anything else."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from partnership.models import Role
from partnership.services import person_invite
from tests.security.conftest import password_step

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-synthetic-password-2026"


def _set_password_through(link: str) -> Client:
    client = Client()
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert b"Set your password" in page.content
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    return client


def test_an_invited_person_sets_a_password_then_must_set_up_a_second_factor(
    partnership_admin, partnership, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = person_invite(
            acting_user=partnership_admin,
            partnership=partnership,
            email="invited@test.vawg-portal.invalid",
            full_name="Test Invited Person",
            agency=agency,
            role=Role.COMMISSIONER,
            request_host="testserver",
        )
    link = re.search(r"https://testserver(\S+)", mail.outbox[-1].body).group(1)
    _set_password_through(link)
    invited = membership.user
    invited.refresh_from_db()
    assert invited.has_usable_password()
    assert not Authenticator.objects.filter(user=invited).exists()

    client = Client()
    response = password_step(client, invited, password=NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("partnership:home"))["Location"] == reverse("mfa_index")
    assert client.get(partnership.get_absolute_url())["Location"] == reverse("mfa_index")


def test_a_password_reset_never_turns_off_the_second_factor(person_with_totp):
    """After resetting the password by email, signing in still asks for the code."""
    client = Client()
    client.post(reverse("account_reset_password"), {"email": person_with_totp.email})
    link = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)
    _set_password_through(link)
    assert Authenticator.objects.filter(user=person_with_totp, type="totp").exists()
    response = password_step(Client(), person_with_totp, password=NEW_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
