"""Shared fixtures: a partnership with a board and a MARAC, and one signed-in person per role.

Each role fixture (`commissioner`, `marac_coordinator`, ...) is a person holding just that role
in `partnership` through `agency`; `anonymous` is nobody. `sign_in(client, user)` gives a test
client a session that has passed the second factor.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from partnership.models import ROLE_SCOPES, Borough, Role, Scope
from partnership.reference import load_london_boroughs
from partnership.services import membership_grant, system_actor
from tests.factories import AgencyFactory, BoardFactory, PartnershipFactory, UserFactory

ALL_ROLES = [role.value for role in Role]


@pytest.fixture(autouse=True)
def _london_boroughs(request):
    """Reference data from the data migration, reloaded after a transactional test's flush."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if Borough.objects.count() != 33:
        load_london_boroughs(Borough)


@pytest.fixture
def actor(db):
    return system_actor()


@pytest.fixture
def borough(db):
    return Borough.objects.get(slug="westminster")


@pytest.fixture
def partnership(db, borough):
    return PartnershipFactory(name="Test Shared Partnership", boroughs=[borough])


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(
        name="Other Test Partnership", boroughs=[Borough.objects.get(slug="havering")]
    )


@pytest.fixture
def agency(db, borough):
    return AgencyFactory(name="Test Police BCU", category="police", boroughs=[borough])


@pytest.fixture
def board(partnership):
    return BoardFactory(partnership=partnership, name="Test Strategic Board")


@pytest.fixture
def marac(partnership, borough, actor):
    from marac.services import marac_create

    return marac_create(
        acting_user=actor,
        partnership=partnership,
        name="Test MARAC",
        slug="test-marac",
        boroughs=[borough],
    )


@pytest.fixture
def make_member(actor, partnership, agency, board, marac):
    """Make a person holding `role` in the test partnership (scoped to its board or MARAC)."""

    def make(role: str, *, user=None, agency_=None):
        user = user or UserFactory(full_name=f"Test {role.replace('_', ' ').title()}")
        scope = ROLE_SCOPES[role]
        membership_grant(
            acting_user=actor,
            user=user,
            agency=agency_ or agency,
            role=role,
            partnership=partnership,
            board=board if scope == Scope.BOARD else None,
            marac=marac if scope == Scope.MARAC else None,
        )
        return user

    return make


def _role_fixture(role: str):
    def fixture(make_member):
        return make_member(role)

    return pytest.fixture(name=role)(fixture)


for _role in ALL_ROLES:
    globals()[_role] = _role_fixture(_role)


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def outsider(other_partnership, actor):
    """A person holding a role only in another partnership."""
    user = UserFactory(full_name="Test Outsider")
    membership_grant(
        acting_user=actor,
        user=user,
        agency=AgencyFactory(name="Outside Agency"),
        role=Role.COMMISSIONER,
        partnership=other_partnership,
    )
    return user


def verify_session(client: Client) -> None:
    """Mark a signed-in test session as having passed the second factor (allauth's record)."""
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": "test"},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    # allauth ties the records to the person they were made for (portal.verification).
    session["account_authentication_methods_user"] = str(session["_auth_user_id"])
    session.save()


@pytest.fixture
def sign_in():
    def sign(client: Client, user) -> Client:
        if user is not None:
            client.force_login(user)
            verify_session(client)
        return client

    return sign


@pytest.fixture(autouse=True)
def _directory_taxonomy(request):
    """The directory's taxonomy (a data migration), reloaded after a transactional test's flush."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from directory.models import TaxonomyTerm
    from directory.reference import load_taxonomy

    if TaxonomyTerm.objects.count() != 37:
        load_taxonomy(TaxonomyTerm)
