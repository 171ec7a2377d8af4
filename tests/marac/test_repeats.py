"""Repeat detection (DESIGN §7) and the cross-MARAC flag, decided on acceptance and stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.models import Lens, Referral
from marac.selectors import CrossMaracFlag, case_detail
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    agenda_item_mark_heard,
    meeting_create,
)
from partnership.models import Role
from tests.marac.factories import perpetrator, victim

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.mark.parametrize(("gap", "repeat"), [(365, True), (366, False), (0, True), (1, True)])
def test_repeat_window_is_365_days(make_case, gap, repeat):
    """An earlier referral at most 365 days before makes a repeat; 366 days does not."""
    later = TODAY() - timedelta(days=5)
    first = make_case(referral_date=later - timedelta(days=gap))
    second = make_case(referral_date=later)
    assert second.referral.is_repeat is repeat
    assert second.referral.repeat_of_id == (first.referral.pk if repeat else None)
    assert Referral.objects.get(pk=second.referral.pk).is_repeat is repeat


def test_a_different_perpetrator_is_not_a_repeat(make_case):
    """The same victim with another named perpetrator is a new referral."""
    make_case(referral_date=TODAY() - timedelta(days=100))
    second = make_case(perpetrators=[perpetrator("Otherperp", "Inventedname")])
    assert second.referral.is_repeat is False


def test_a_shared_perpetrator_among_several_is_a_repeat(make_case):
    """Sharing one of several perpetrators is enough."""
    make_case(referral_date=TODAY() - timedelta(days=100))
    second = make_case(perpetrators=[perpetrator("Otherperp", "Inventedname"), perpetrator()])
    assert second.referral.is_repeat is True


@pytest.mark.parametrize("unnamed", ["earlier", "later"])
def test_a_referral_naming_no_perpetrator_matches_any(make_case, unnamed):
    """When either referral names no perpetrator, the same victim within a year is a repeat."""
    make_case(
        referral_date=TODAY() - timedelta(days=200),
        perpetrators=[] if unnamed == "earlier" else None,
    )
    second = make_case(perpetrators=[] if unnamed == "later" else None)
    assert second.referral.is_repeat is True


def test_the_victim_is_matched_by_normalised_name_and_date_of_birth(make_case):
    """Case, accents and spacing do not matter; a different date of birth is another person."""
    make_case(referral_date=TODAY() - timedelta(days=50))
    same = make_case(victim_details=victim("  TESTVICTIM ", "fictionalsurname"))
    assert same.referral.is_repeat is True
    other = make_case(victim_details=victim(born=TODAY().replace(year=1991)))
    assert other.referral.is_repeat is False


def test_an_unaccepted_referral_is_not_counted_and_has_no_status(make_case):
    """Repeat status is decided on acceptance; a referral never accepted makes no repeat."""
    pending = make_case(referral_date=TODAY() - timedelta(days=40), accept=False)
    assert pending.referral.is_repeat is None
    later = make_case()
    assert later.referral.is_repeat is False


def test_another_marac_is_not_a_repeat_but_raises_the_cross_marac_flag(
    make_case, actor, other_marac, make_member, grant_role
):
    """Heard at another MARAC of the partnership within a year: not a repeat here, but flagged,
    naming that MARAC's coordinator and nothing else."""
    there = make_case(marac=other_marac, referral_date=TODAY() - timedelta(days=60))
    meeting = meeting_create(
        acting_user=actor, marac=other_marac, date=TODAY() - timedelta(days=40)
    )
    item = agenda_item_add(acting_user=actor, meeting=meeting, case=there)
    agenda_circulate(acting_user=actor, meeting=meeting)
    agenda_item_mark_heard(acting_user=actor, item=item)
    other_coordinator = grant_role(Role.MARAC_COORDINATOR, other_marac)

    here = make_case()
    assert here.referral.is_repeat is False
    assert here.referral.heard_elsewhere == other_marac

    coordinator = make_member(Role.MARAC_COORDINATOR)
    view = case_detail(coordinator, here.pk, Lens.FULL)
    assert view.heard_elsewhere == CrossMaracFlag(
        marac_name="Other Test MARAC",
        coordinators=[(other_coordinator.full_name, other_coordinator.email)],
    )


def test_a_hearing_elsewhere_over_a_year_ago_raises_no_flag(make_case, actor, other_marac):
    """The cross-MARAC flag looks back 365 days only."""
    there = make_case(marac=other_marac, referral_date=TODAY() - timedelta(days=420))
    meeting = meeting_create(
        acting_user=actor, marac=other_marac, date=TODAY() - timedelta(days=400)
    )
    item = agenda_item_add(acting_user=actor, meeting=meeting, case=there)
    agenda_circulate(acting_user=actor, meeting=meeting)
    agenda_item_mark_heard(acting_user=actor, item=item)
    here = make_case(referral_date=TODAY() - timedelta(days=2))
    assert here.referral.heard_elsewhere is None
