import pytest

from marac.services import marac_create, marac_member_agency_add
from partnership.services import membership_grant
from tests.factories import AgencyFactory, UserFactory
from tests.marac.factories import submit_case


@pytest.fixture
def member_agency(marac, agency, actor):
    """`agency` takes part in `marac`, so its representatives hold the agenda lens there."""
    return marac_member_agency_add(
        acting_user=actor, marac=marac, agency=agency, isa_signed_on=None
    )


@pytest.fixture
def other_agency(marac, borough, actor):
    """A second agency taking part in `marac` (housing)."""
    agency = AgencyFactory(name="Test Housing Options", category="housing", boroughs=[borough])
    marac_member_agency_add(acting_user=actor, marac=marac, agency=agency, isa_signed_on=None)
    return agency


@pytest.fixture
def other_marac(partnership, borough, actor):
    return marac_create(
        acting_user=actor,
        partnership=partnership,
        name="Other Test MARAC",
        slug="other-test-marac",
        boroughs=[borough],
    )


@pytest.fixture
def make_case(actor, marac, agency):
    def make(**kwargs):
        kwargs.setdefault("marac", marac)
        kwargs.setdefault("agency", agency)
        return submit_case(actor=actor, **kwargs)

    return make


@pytest.fixture
def grant_role(actor, partnership, agency):
    """Make a person holding a MARAC role at a given MARAC, through a given agency."""

    def grant(role: str, at_marac, *, through=None, user=None):
        user = user or UserFactory(full_name=f"Test {role.replace('_', ' ').title()} Elsewhere")
        membership_grant(
            acting_user=actor,
            user=user,
            agency=through or agency,
            role=role,
            partnership=partnership,
            marac=at_marac,
        )
        return user

    return grant
