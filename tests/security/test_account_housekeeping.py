"""Second-factor reset by a partnership administrator, and the nightly lock of unused accounts."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnership.models import ChangeRecord, Membership, User
from partnership.services import accounts_lock_dormant, second_factor_reset, system_actor
from portal.models import StaffSession
from tests.factories import UserFactory
from tests.reporting.conftest import celery_worker_thread  # noqa: F401  (a real worker)
from tests.security.conftest import password_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_phone(make_member, person_with_totp):
    """A commissioner with an authenticator app (and recovery codes) who has lost them."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(person_with_totp)
    return make_member("commissioner", user=person_with_totp)


def test_an_administrator_resets_a_lost_second_factor(
    lost_phone, partnership_admin, partnership, sign_in
):
    """The reset removes every authenticator, ends sessions, is recorded, and the person
    must set up a new second factor when they next sign in."""
    their_session = sign_in(Client(), lost_phone)
    admin = sign_in(Client(), partnership_admin)
    url = reverse("partnership:second_factor_reset", args=[partnership.slug, lost_phone.pk])
    person_page = admin.get(reverse("partnership:person", args=[partnership.slug, lost_phone.pk]))
    assert url.encode() in person_page.content
    assert admin.get(url).status_code == 200
    response = admin.post(url)
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=lost_phone).exists()
    assert not StaffSession.objects.filter(user=lost_phone).exists()
    record = ChangeRecord.objects.get(action="second_factor_reset")
    assert record.actor == partnership_admin
    assert record.object_id == str(lost_phone.pk)
    assert record.detail == {"authenticators_removed": 2}
    assert their_session.get(reverse("partnership:home")).status_code == 302
    assert "_auth_user_id" not in their_session.session

    client = Client()
    password_step(client, lost_phone)
    assert client.get(reverse("partnership:home"))["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("role", ["commissioner", "lead_officer", "data_protection_lead"])
def test_only_partnership_administrators_reset_second_factors(
    role, make_member, lost_phone, partnership, sign_in
):
    """Everyone else gets 404 and the authenticators stay."""
    client = sign_in(Client(), make_member(role))
    url = reverse("partnership:second_factor_reset", args=[partnership.slug, lost_phone.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Authenticator.objects.filter(user=lost_phone).count() == 2


def test_nobody_resets_their_own_second_factor(partnership_admin, partnership):
    with pytest.raises(ValidationError):
        second_factor_reset(
            acting_user=partnership_admin, user=partnership_admin, partnership=partnership
        )
    assert not ChangeRecord.objects.filter(action="second_factor_reset").exists()


def _people_by_last_use(now):
    old = now - timedelta(days=91)
    return {
        "dormant": UserFactory(last_login=old, date_joined=old - timedelta(days=30)),
        "recent": UserFactory(last_login=now - timedelta(days=10), date_joined=old),
        "never_signed_in_old": UserFactory(last_login=None, date_joined=old),
        "never_signed_in_new": UserFactory(last_login=None, date_joined=now - timedelta(days=5)),
    }


def test_accounts_unused_for_90_days_are_locked(commissioner, sign_in):
    now = timezone.now()
    people = _people_by_last_use(now)
    membership_count = Membership.objects.count()
    dormant_session = sign_in(Client(), people["dormant"])
    User.objects.filter(pk=people["dormant"].pk).update(last_login=now - timedelta(days=91))
    locked = accounts_lock_dormant(acting_user=system_actor(), now=now)
    assert set(locked) == {people["dormant"].pk, people["never_signed_in_old"].pk}
    for key, person in people.items():
        person.refresh_from_db()
        assert person.is_active == (key in {"recent", "never_signed_in_new"}), key
    assert people["dormant"].locked_at == now
    assert Membership.objects.count() == membership_count
    assert not StaffSession.objects.filter(user=people["dormant"]).exists()
    assert dormant_session.get(reverse("partnership:home")).status_code == 302
    records = ChangeRecord.objects.filter(action="account_lock_dormant")
    assert {r.object_id for r in records} == {str(pk) for pk in locked}
    assert {r.actor for r in records} == {system_actor()}
    assert accounts_lock_dormant(acting_user=system_actor(), now=now) == []


def test_a_locked_account_cannot_sign_in(person_with_totp):
    User.objects.filter(pk=person_with_totp.pk).update(
        last_login=timezone.now() - timedelta(days=100)
    )
    accounts_lock_dormant(acting_user=system_actor())
    client = Client()
    response = password_step(client, person_with_totp)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert "_auth_user_id" not in client.session


def test_the_nightly_job_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["lock-dormant-accounts"]
    assert entry["task"] == "portal.tasks.lock_dormant_accounts"


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_task_locks_dormant_accounts_on_a_real_worker(celery_worker_thread):  # noqa: F811
    from portal.tasks import lock_dormant_accounts

    people = _people_by_last_use(timezone.now())
    lock_dormant_accounts.delay()
    deadline = time.monotonic() + 30
    dormant = people["dormant"]
    while time.monotonic() < deadline:
        dormant.refresh_from_db()
        if not dormant.is_active:
            break
        time.sleep(0.2)
    assert not dormant.is_active
    assert not User.objects.get(pk=people["never_signed_in_old"].pk).is_active
    assert User.objects.get(pk=people["recent"].pk).is_active
    record = ChangeRecord.objects.get(action="account_lock_dormant", object_id=str(dormant.pk))
    assert record.actor.is_system


def test_an_administrator_unlocks_an_account_locked_for_disuse(
    commissioner, partnership_admin, partnership, sign_in
):
    """Unlocking is recorded, lets the person sign in, and restarts the 90 days."""
    User.objects.filter(pk=commissioner.pk).update(last_login=timezone.now() - timedelta(days=120))
    assert accounts_lock_dormant(acting_user=system_actor()) == [commissioner.pk]
    admin = sign_in(Client(), partnership_admin)
    page = admin.get(reverse("partnership:person", args=[partnership.slug, commissioner.pk]))
    assert b"Unlock account" in page.content
    response = admin.post(reverse("partnership:unlock", args=[partnership.slug, commissioner.pk]))
    assert response.status_code == 302
    commissioner.refresh_from_db()
    assert commissioner.is_active
    assert commissioner.locked_at is None
    assert ChangeRecord.objects.filter(action="account_unlock", actor=partnership_admin).exists()
    assert accounts_lock_dormant(acting_user=system_actor()) == []
    later = timezone.now() + timedelta(days=91)
    assert commissioner.pk in accounts_lock_dormant(acting_user=system_actor(), now=later)


def test_only_administrators_unlock_and_only_locked_accounts(
    commissioner, lead_officer, partnership_admin, partnership, sign_in
):
    url = reverse("partnership:unlock", args=[partnership.slug, commissioner.pk])
    User.objects.filter(pk=commissioner.pk).update(last_login=timezone.now() - timedelta(days=120))
    accounts_lock_dormant(acting_user=system_actor())
    assert sign_in(Client(), lead_officer).post(url).status_code == 404
    assert not User.objects.get(pk=commissioner.pk).is_active
    from partnership.services import account_unlock

    with pytest.raises(ValidationError):
        account_unlock(acting_user=partnership_admin, user=lead_officer, partnership=partnership)
