"""Who may export case data or oversee access (DESIGN §4): coordinators and the data protection
lead only; everyone else is refused."""

import pytest

from marac.permissions import access_events_visible_to, can_export_cases, can_look_up
from partnership.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "exports", "looks_up"),
    [
        (Role.MARAC_COORDINATOR, True, True),
        (Role.DATA_PROTECTION_LEAD, True, False),
        (Role.MARAC_CHAIR, False, False),
        (Role.MARAC_REPRESENTATIVE, False, False),
        (Role.IDVA, False, False),
        (Role.COMMISSIONER, False, False),
        (Role.PARTNERSHIP_ADMIN, False, False),
        (Role.LEAD_OFFICER, False, False),
        (Role.BOARD_MEMBER, False, False),
        (Role.SERVICE_EDITOR, False, False),
    ],
)
def test_exports_and_lookups_by_role(make_member, marac, other_marac, role, exports, looks_up):
    """Each role is allowed or refused exports and exact lookups at its own MARAC, and the
    MARAC roles are refused at another MARAC of the partnership."""
    person = make_member(role)
    assert can_export_cases(person, marac) is exports
    assert can_look_up(person, marac) is looks_up
    if role != Role.DATA_PROTECTION_LEAD:
        assert can_export_cases(person, other_marac) is False
        assert can_look_up(person, other_marac) is False


def test_outsiders_and_anonymous_can_do_neither(outsider, anonymous, marac):
    for person in (outsider, anonymous):
        assert can_export_cases(person, marac) is False
        assert can_look_up(person, marac) is False
        assert not access_events_visible_to(person).exists()


def test_lens_of_names_the_widest_lens_held(actor, marac, make_case, make_member, other_agency):
    """Coordinators hold the full lens, a member agency's representative the agenda lens once
    the agenda is circulated, and others none."""
    from datetime import timedelta

    from django.utils import timezone

    from marac.models import Lens
    from marac.permissions import lens_of
    from marac.services import agenda_circulate, agenda_item_add, meeting_create

    case = make_case(referral_date=timezone.localdate() - timedelta(days=30))
    meeting = meeting_create(acting_user=actor, marac=marac, date=timezone.localdate())
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    agenda_circulate(acting_user=actor, meeting=meeting)
    assert lens_of(make_member(Role.MARAC_COORDINATOR), case) == Lens.FULL
    assert lens_of(make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency), case) == (
        Lens.AGENDA
    )
    assert lens_of(make_member(Role.COMMISSIONER), case) is None
