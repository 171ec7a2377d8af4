"""Sign-in: password then a second factor for everyone; enrolment first; closed sign-up."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from partnership.models import User
from tests.factories import UserFactory
from tests.security.conftest import password_step, totp_code

pytestmark = pytest.mark.django_db


def test_sign_in_needs_the_password_and_then_a_code(person_with_totp, commissioner, partnership):
    """The password alone signs nobody in; the code from the app completes sign-in."""
    user = commissioner
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("partnership:home")).status_code == 302
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    overview = client.get(reverse("partnership:home"), follow=True)
    assert overview.status_code == 200
    assert overview.redirect_chain[-1][0] == partnership.get_absolute_url()


def test_a_used_code_cannot_be_replayed(person_with_totp):
    """The same code from the app cannot sign in twice."""
    code = totp_code(person_with_totp.totp_secret)
    first, second = Client(), Client()
    password_step(first, person_with_totp)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    password_step(second, person_with_totp)
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


@pytest.mark.django_db(transaction=True)
def test_a_person_without_a_second_factor_must_set_one_up_first(commissioner):
    """Until enrolled, every staff page sends them to set up a second factor.

    Transactional: allauth announces the new authenticator on commit, as in production."""
    client = Client()
    response = password_step(client, commissioner)
    assert response.status_code == 302
    for path in [reverse("partnership:home"), "/admin/", reverse("session_continue")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_index"), path
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=commissioner, type="totp").exists()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert b"Your recovery codes" in codes.content
    home = client.get(reverse("partnership:home"), follow=True)
    assert home.status_code == 200
    assert home.redirect_chain[-1][0] != reverse("mfa_index")
    assert "_auth_user_id" in client.session


def test_a_session_that_skipped_the_code_is_signed_out(person_with_totp):
    """A session for an account with a second factor that did not use it is ended."""
    client = Client()
    client.force_login(person_with_totp)
    response = client.get(reverse("partnership:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("mfa_add_webauthn")).status_code == 302
    assert not Authenticator.objects.filter(user=person_with_totp, type="webauthn").exists()


def test_sign_up_is_closed():
    """Nobody can create an account: the sign-up page says accounts are by invitation."""
    client = Client()
    page = client.get("/accounts/signup/")
    assert b"Accounts are by invitation only" in page.content
    client.post(
        "/accounts/signup/",
        {"email": "new@test.vawg-portal.invalid", "password1": "x" * 20, "password2": "x" * 20},
    )
    assert not User.objects.filter(email="new@test.vawg-portal.invalid").exists()


class TestTheAdmin:
    def test_signs_in_through_allauth(self):
        response = Client().get("/admin/", follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
        assert b"Enter your security code" not in response.content
        assert b"Sign in" in response.content

    def test_needs_a_verified_session(self, person_with_totp, sign_in):
        """Staff with a verified session reach the admin; without the code they do not."""
        person_with_totp.is_staff = True
        person_with_totp.save(update_fields=["is_staff"])
        unverified = Client()
        unverified.force_login(person_with_totp)
        response = unverified.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert sign_in(Client(), person_with_totp).get("/admin/").status_code == 200

    def test_refuses_people_who_are_not_admin_staff(self, person_with_totp, sign_in):
        client = sign_in(Client(), person_with_totp)
        assert client.get("/admin/", follow=True).status_code == 403


def test_production_has_no_personal_data_model_in_the_admin():
    """People, sessions, sign-in attempts and authenticators are not in the Django admin."""
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    personal = {
        "partnership.User",
        "partnership.Membership",
        "portal.StaffSession",
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "account.EmailAddress",
        "mfa.Authenticator",
    }
    assert not registered & personal
    assert not any(label.startswith("marac.") for label in registered)


def test_an_unverified_person_never_reaches_user_records_via_the_factory():
    """Guard for the fixtures: `UserFactory` people have no authenticator of their own."""
    assert not Authenticator.objects.filter(user=UserFactory()).exists()


def test_there_are_no_superusers():
    """Nobody bypasses the permission layer: the manager and the database refuse superusers."""
    from django.db import IntegrityError, transaction

    with pytest.raises(ValueError, match="no superusers"):
        User.objects.create_superuser("root@test.vawg-portal.invalid", "x" * 20)
    person = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_superuser=True)


def test_nobody_turns_off_their_only_second_factor(person_with_totp, sign_in):
    client = sign_in(Client(), person_with_totp)
    session = client.session
    records = session["account_authentication_methods"]
    records[-1]["reauthenticated"] = True
    session["account_authentication_methods"] = records
    session.save()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert b"You cannot turn off your only second factor" in response.content
    assert Authenticator.objects.filter(user=person_with_totp, type="totp").exists()
