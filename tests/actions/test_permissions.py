"""DESIGN §4 for action plans: allowed and denied in the same test, over every role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from actions import permissions
from conftest import ALL_ROLES
from partnership.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_members_in_every_role_read_the_plan_and_outsiders_get_404(
    role, request, strategy, police_action, outsider
):
    member = request.getfixturevalue(role)
    assert permissions.access_strategy(member, strategy.slug) == strategy
    assert permissions.access_action(member, strategy.slug, "A.1") == police_action
    assert list(permissions.actions_visible_to(member)) == [police_action]
    with pytest.raises(Http404):
        permissions.access_strategy(outsider, strategy.slug)
    with pytest.raises(Http404):
        permissions.access_action(outsider, strategy.slug, "A.1")
    assert not permissions.actions_visible_to(outsider).exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_commissioners_change_structure_others_get_403(role, request, strategy, police_action):
    member = request.getfixturevalue(role)
    if role == Role.COMMISSIONER:
        assert permissions.access_strategy_for_change(member, strategy.slug) == strategy
        assert permissions.access_action_for_change(member, strategy.slug, "A.1") == police_action
    else:
        with pytest.raises(PermissionDenied):
            permissions.access_strategy_for_change(member, strategy.slug)
        with pytest.raises(PermissionDenied):
            permissions.access_action_for_change(member, strategy.slug, "A.1")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_progress_is_posted_by_commissioners_and_the_leading_agencys_lead_officers(
    role, request, strategy, police_action, housing_action
):
    """The role fixtures' agency leads A.1; only commissioners may update A.2 as well."""
    member = request.getfixturevalue(role)
    may_update_a1 = role in (Role.COMMISSIONER, Role.LEAD_OFFICER)
    may_update_a2 = role == Role.COMMISSIONER
    for ref, allowed in (("A.1", may_update_a1), ("A.2", may_update_a2)):
        if allowed:
            assert permissions.access_action_for_progress(member, strategy.slug, ref).ref == ref
        else:
            with pytest.raises(PermissionDenied):
                permissions.access_action_for_progress(member, strategy.slug, ref)


def test_a_lead_officer_of_a_supporting_agency_may_update_but_not_of_an_unrelated_one(
    make_member, strategy, police_action, housing_action, other_agency
):
    from tests.factories import AgencyFactory

    housing_officer = make_member(Role.LEAD_OFFICER, agency_=other_agency)
    assert set(permissions.actions_updatable_by_lead_officer(housing_officer)) == {
        police_action,
        housing_action,
    }
    unrelated = make_member(Role.LEAD_OFFICER, agency_=AgencyFactory(name="Unrelated Agency"))
    assert not permissions.actions_updatable_by_lead_officer(unrelated).exists()
    with pytest.raises(PermissionDenied):
        permissions.access_action_for_progress(unrelated, strategy.slug, "A.2")


def test_a_lead_officer_of_the_agency_in_another_partnership_may_not_update(
    strategy, police_action, agency, other_partnership, actor
):
    """Lead officer roles are scoped: the same agency in another partnership gives nothing."""
    from partnership.services import membership_grant
    from tests.factories import UserFactory

    user = UserFactory(full_name="Test Elsewhere Officer")
    membership_grant(
        acting_user=actor,
        user=user,
        agency=agency,
        role=Role.LEAD_OFFICER,
        partnership=other_partnership,
    )
    assert not permissions.actions_updatable_by_lead_officer(user).exists()
    with pytest.raises(Http404):
        permissions.access_action_for_progress(user, strategy.slug, "A.1")


def test_an_ended_membership_gives_nothing(lead_officer, police_action, actor):
    from partnership.models import Membership
    from partnership.services import membership_end

    membership_end(acting_user=actor, membership=Membership.objects.get(user=lead_officer))
    assert not permissions.actions_updatable_by_lead_officer(lead_officer).exists()
