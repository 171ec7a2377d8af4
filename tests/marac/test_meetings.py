"""Minimal meetings and agendas: listing rules, circulation, hearing, actions, IDVA, transfer."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.models import UserObjectPermission

from marac.models import (
    AgendaItemKind,
    CaseActionStatus,
    CaseStatus,
    CaseUserObjectPermission,
    Lens,
)
from marac.permissions import cases_visible_to
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    agenda_item_mark_heard,
    case_action_close,
    case_action_create,
    case_allocate_idva,
    case_full_lens_grant,
    case_transfer,
    meeting_create,
)
from partnership.models import ChangeRecord, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_case_is_listed_heard_and_its_status_follows(actor, marac, make_case):
    """Accepted → listed when on an agenda → heard when the meeting hears it."""
    case = make_case(referral_date=TODAY() - timedelta(days=30))
    meeting = meeting_create(acting_user=actor, marac=marac, date=TODAY())
    item = agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    case.refresh_from_db()
    assert (item.kind, item.position, case.status) == (AgendaItemKind.NEW, 1, CaseStatus.LISTED)
    with pytest.raises(ValidationError, match="Circulate the agenda"):
        agenda_item_mark_heard(acting_user=actor, item=item)
    agenda_circulate(acting_user=actor, meeting=meeting)
    agenda_item_mark_heard(acting_user=actor, item=item)
    case.refresh_from_db()
    assert case.status == CaseStatus.HEARD
    assert ChangeRecord.objects.filter(action="agenda_item_mark_heard").count() == 1


def test_a_repeat_referral_is_listed_as_a_repeat(actor, marac, make_case):
    make_case(referral_date=TODAY() - timedelta(days=200))
    repeat = make_case(referral_date=TODAY() - timedelta(days=30))
    meeting = meeting_create(acting_user=actor, marac=marac, date=TODAY())
    assert agenda_item_add(acting_user=actor, meeting=meeting, case=repeat).kind == "repeat"


def test_listing_rules(actor, marac, make_case, other_marac):
    """Only accepted cases of the same MARAC; late referrals and additions after circulation
    only as emergencies; a future meeting cannot hear its cases yet."""
    meeting = meeting_create(acting_user=actor, marac=marac, date=TODAY() + timedelta(days=5))
    unaccepted = make_case(accept=False, referral_date=TODAY() - timedelta(days=30))
    with pytest.raises(ValidationError, match="Only an accepted case"):
        agenda_item_add(acting_user=actor, meeting=meeting, case=unaccepted)
    elsewhere = make_case(marac=other_marac, referral_date=TODAY() - timedelta(days=30))
    with pytest.raises(ValidationError, match="another MARAC"):
        agenda_item_add(acting_user=actor, meeting=meeting, case=elsewhere)
    late = make_case(referral_date=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError, match="cut-off"):
        agenda_item_add(acting_user=actor, meeting=meeting, case=late)
    agenda_item_add(acting_user=actor, meeting=meeting, case=late, kind=AgendaItemKind.EMERGENCY)
    on_time = make_case(referral_date=TODAY() - timedelta(days=30))
    item = agenda_item_add(acting_user=actor, meeting=meeting, case=on_time)
    agenda_circulate(acting_user=actor, meeting=meeting)
    after = make_case(referral_date=TODAY() - timedelta(days=30))
    with pytest.raises(ValidationError, match="circulated"):
        agenda_item_add(acting_user=actor, meeting=meeting, case=after)
    with pytest.raises(ValidationError, match="not happened yet"):
        agenda_item_mark_heard(acting_user=actor, item=item)
    with pytest.raises(ValidationError, match="already"):
        agenda_item_add(acting_user=actor, meeting=meeting, case=on_time, kind="emergency")


def test_meeting_dates_are_unique_per_marac(actor, marac, other_marac):
    meeting_create(acting_user=actor, marac=marac, date=TODAY())
    meeting_create(acting_user=actor, marac=other_marac, date=TODAY())
    with pytest.raises(ValidationError):
        meeting_create(acting_user=actor, marac=marac, date=TODAY())


def test_actions_close_with_two_outcomes_kept_apart(actor, make_case, agency):
    """The outcomes "not possible: circumstances changed" and "not done" stay apart."""
    case = make_case()
    first = case_action_create(acting_user=actor, case=case, owner_agency=agency, text="One")
    second = case_action_create(acting_user=actor, case=case, owner_agency=agency, text="Two")
    case_action_close(acting_user=actor, action=first, status=CaseActionStatus.NOT_POSSIBLE)
    case_action_close(acting_user=actor, action=second, status=CaseActionStatus.NOT_DONE)
    assert {first.status, second.status} == {"not_possible", "not_done"}
    with pytest.raises(ValidationError):
        case_action_close(acting_user=actor, action=first, status=CaseActionStatus.DONE)


def test_only_an_idva_of_the_marac_can_be_allocated(actor, make_case, make_member):
    case = make_case()
    with pytest.raises(ValidationError):
        case_allocate_idva(acting_user=actor, case=case, idva=make_member(Role.MARAC_CHAIR))
    idva = make_member(Role.IDVA)
    case_allocate_idva(acting_user=actor, case=case, idva=idva)
    case.refresh_from_db()
    assert (case.idva, case.idva_allocated) == (idva, "yes")


def test_transfer_grants_the_receiving_coordinators_the_full_lens(
    actor, make_case, other_marac, grant_role
):
    """A transfer marks the case transferred and grants the other MARAC's coordinators the
    full lens, as guardian direct-foreign-key rows (never guardian's generic table)."""
    case = make_case()
    receiving = grant_role(Role.MARAC_COORDINATOR, other_marac)
    assert not cases_visible_to(receiving, Lens.FULL).exists()
    case_transfer(acting_user=actor, case=case, to_marac=other_marac)
    case.refresh_from_db()
    assert (case.status, case.transferred_to) == (CaseStatus.TRANSFERRED, other_marac)
    assert list(cases_visible_to(receiving, Lens.FULL)) == [case]
    case_full_lens_grant(
        acting_user=actor, case=case, user=UserFactory(), reason="Synthetic extra professional"
    )
    assert CaseUserObjectPermission.objects.filter(content_object=case).count() == 2
    assert not UserObjectPermission.objects.exists()
    with pytest.raises(ValidationError):
        case_transfer(acting_user=actor, case=case, to_marac=other_marac)
