"""Issue 7's meeting workflow through the services and the permission layer: late and emergency
additions, attendance, research privacy before and after the meeting, minutes and drafts, the
review of open actions, owner-only action updates, and approval with per-agency extracts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from marac import meeting_selectors, permissions
from marac.models import (
    AccessEvent,
    AgendaItemKind,
    AttendanceKind,
    CaseActionStatus,
    Lens,
    MinuteDraft,
    Research,
)
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    attendance_record,
    case_action_create,
    case_action_review,
    case_action_update,
    case_allocate_idva,
    meeting_create,
    minute_draft_save,
    minute_save,
    minute_text_for,
    minutes_approve,
    research_save,
    working_days_after,
)
from partnership.models import ChangeRecord, Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def people(make_member, agency, other_agency, member_agency):
    return {
        "coordinator": make_member(Role.MARAC_COORDINATOR),
        "chair": make_member(Role.MARAC_CHAIR),
        "police": make_member(Role.MARAC_REPRESENTATIVE),
        "housing": make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency),
        "idva": make_member(Role.IDVA),
    }


@pytest.fixture
def held(actor, marac, make_case, people):
    """Two cases on a circulated agenda of a meeting held today; the IDVA has the first."""
    first = make_case(referral_date=TODAY() - timedelta(days=30))
    second = make_case(referral_date=TODAY() - timedelta(days=25))
    meeting = meeting_create(acting_user=actor, marac=marac, date=TODAY())
    items = [agenda_item_add(acting_user=actor, meeting=meeting, case=c) for c in (first, second)]
    agenda_circulate(acting_user=actor, meeting=meeting)
    case_allocate_idva(acting_user=actor, case=first, idva=people["idva"])
    return {"meeting": meeting, "items": items, "cases": [first, second]}


def _visible_agencies(user, item) -> set[str]:
    return {row.agency.name for row in permissions.research_visible_to(user, item)}


def test_late_and_emergency_additions_are_recorded_as_such(actor, marac, make_case):
    meeting = meeting_create(acting_user=actor, marac=marac, date=TODAY() + timedelta(days=5))
    on_time = agenda_item_add(
        acting_user=actor,
        meeting=meeting,
        case=make_case(referral_date=TODAY() - timedelta(days=5)),
    )
    after_cutoff = agenda_item_add(
        acting_user=actor,
        meeting=meeting,
        case=make_case(referral_date=TODAY() - timedelta(days=1)),
        kind=AgendaItemKind.EMERGENCY,
    )
    agenda_circulate(acting_user=actor, meeting=meeting)
    after_circulation = agenda_item_add(
        acting_user=actor,
        meeting=meeting,
        case=make_case(referral_date=TODAY() - timedelta(days=20)),
        kind=AgendaItemKind.EMERGENCY,
    )
    assert [on_time.late, after_cutoff.late, after_circulation.late] == [False, True, True]
    assert ChangeRecord.objects.filter(action="agenda_item_add", detail__late=True).count() == 2


def test_attendance_records_signatures_apologies_and_information_sent(
    actor, held, agency, other_agency
):
    meeting = held["meeting"]
    attendance_record(
        acting_user=actor,
        meeting=meeting,
        agency=agency,
        name="Test Officer Notreal",
        kind=AttendanceKind.REPRESENTATIVE,
        confidentiality_signed=True,
    )
    with pytest.raises(ValidationError, match="confidentiality statement"):
        attendance_record(
            acting_user=actor,
            meeting=meeting,
            agency=agency,
            name="Test Student Observer",
            kind=AttendanceKind.OBSERVER,
        )
    apologies = attendance_record(
        acting_user=actor,
        meeting=meeting,
        agency=other_agency,
        name="Test Housing Officer",
        kind=AttendanceKind.APOLOGIES,
        information_sent=True,
    )
    assert apologies.information_sent
    with pytest.raises(ValidationError, match="sent apologies sends information"):
        attendance_record(
            acting_user=actor,
            meeting=meeting,
            agency=other_agency,
            name="Test Other Officer",
            kind=AttendanceKind.REPRESENTATIVE,
            confidentiality_signed=True,
            information_sent=True,
        )
    assert meeting.attendance.count() == 2


def test_research_is_private_to_its_agency_until_the_meeting_hears_the_case(
    actor, held, people, agency, other_agency
):
    """Before: each agency sees only its own; coordinators and chair see all; the allocated
    IDVA (full lens) sees none. After: full-lens holders see all; the agenda lens still only
    its own."""
    item = held["items"][0]
    research_save(
        acting_user=people["police"], item=item, agency=agency, findings="Synthetic: two call-outs"
    )
    research_save(
        acting_user=people["housing"],
        item=item,
        agency=other_agency,
        findings="",
        withheld=True,
        withheld_reason="Synthetic: an active tenancy investigation",
    )
    both = {agency.name, other_agency.name}
    assert _visible_agencies(people["police"], item) == {agency.name}
    assert _visible_agencies(people["housing"], item) == {other_agency.name}
    assert _visible_agencies(people["coordinator"], item) == both
    assert _visible_agencies(people["chair"], item) == both
    assert _visible_agencies(people["idva"], item) == set()

    minute_save(
        acting_user=people["coordinator"],
        item=item,
        risks="Synthetic risks",
        victim_voice="Synthetic: wants to stay",
        decisions="Synthetic: safety plan",
    )
    item.refresh_from_db()
    assert permissions.lens_of(people["police"], item.case) == Lens.FULL  # police referred it
    assert _visible_agencies(people["police"], item) == both
    assert _visible_agencies(people["idva"], item) == both
    assert permissions.lens_of(people["housing"], item.case) == Lens.AGENDA
    assert _visible_agencies(people["housing"], item) == {other_agency.name}
    with pytest.raises(ValidationError, match="research is closed"):
        research_save(acting_user=people["police"], item=item, agency=agency, findings="More")


def test_research_withheld_needs_a_reason_and_its_text_is_encrypted(actor, held, people, agency):
    item = held["items"][1]
    with pytest.raises(ValidationError, match="why the information is withheld"):
        research_save(
            acting_user=people["police"], item=item, agency=agency, findings="", withheld=True
        )
    row = research_save(
        acting_user=people["police"], item=item, agency=agency, findings="Synthetic SECRETWORD"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM marac_research WHERE id = %s", [row.pk])
        stored = cursor.fetchone()[0]
    assert "SECRETWORD" not in stored
    assert Research.objects.get(pk=row.pk).findings == "Synthetic SECRETWORD"


def test_only_a_representative_of_a_member_agency_opens_an_item_for_research(
    held, people, outsider
):
    item = held["items"][0]
    opened, agency_id = permissions.access_research_item(people["housing"], item.pk)
    assert opened == item
    assert AccessEvent.objects.filter(user=people["housing"], lens=Lens.AGENDA).count() == 1
    for user in (people["coordinator"], people["idva"], outsider, None):
        with pytest.raises(Http404):
            permissions.access_research_item(user, item.pk)
    assert not AccessEvent.objects.filter(user=people["idva"]).exists()


def test_a_draft_keeps_typed_text_until_the_minute_is_saved(held, people):
    item = held["items"][0]
    coordinator = people["coordinator"]
    minute_draft_save(
        acting_user=coordinator, item=item, text={"risks": "Half a sent", "decisions": ""}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM marac_minutedraft")
        assert "Half a sent" not in cursor.fetchone()[0]
    text, draft = minute_text_for(coordinator, item)
    assert draft is not None
    assert text["risks"] == "Half a sent"
    assert minute_text_for(people["chair"], item)[1] is None  # drafts are the typist's own
    minute_save(
        acting_user=coordinator, item=item, risks="Half a sentence", victim_voice="", decisions="D"
    )
    assert not MinuteDraft.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT risks, decisions FROM marac_minute")
        assert "Half a sentence" not in " ".join(cursor.fetchone())
    text, draft = minute_text_for(coordinator, item)
    assert (text["risks"], draft) == ("Half a sentence", None)
    with pytest.raises(ValidationError, match="decided"):
        minute_save(acting_user=coordinator, item=item, risks="", victim_voice="", decisions=" ")


@pytest.fixture
def approved(actor, held, people, agency, other_agency):
    """The held meeting minuted, an action for each agency on the first case, approved."""
    coordinator = people["coordinator"]
    first, second = held["cases"]
    police_action = case_action_create(
        acting_user=coordinator,
        case=first,
        owner_agency=agency,
        text="Synthetic: flag the address",
        meeting=held["meeting"],
        due_on=TODAY() + timedelta(days=14),
        focus="perpetrator",
    )
    housing_action = case_action_create(
        acting_user=coordinator,
        case=first,
        owner_agency=other_agency,
        text="Synthetic: target-harden the flat",
        meeting=held["meeting"],
        due_on=TODAY() + timedelta(days=7),
    )
    for item, decision in zip(
        held["items"], ("Synthetic decision A", "Synthetic decision B"), strict=True
    ):
        minute_save(
            acting_user=coordinator,
            item=item,
            risks="Synthetic risk",
            victim_voice="Synthetic voice",
            decisions=decision,
        )
    return {**held, "police_action": police_action, "housing_action": housing_action}


def test_the_chair_approves_minutes_only_when_every_item_is_minuted(actor, held, people):
    meeting = held["meeting"]
    minute_save(
        acting_user=people["coordinator"],
        item=held["items"][0],
        risks="",
        victim_voice="",
        decisions="Synthetic decision",
    )
    with pytest.raises(ValidationError, match="has no minute"):
        minutes_approve(acting_user=people["chair"], meeting=meeting)
    assert permissions.can_chair(people["chair"], meeting.marac)
    assert not permissions.can_chair(people["coordinator"], meeting.marac)


def test_approved_minutes_give_each_agency_its_extract_and_nothing_more(
    approved, people, agency, other_agency
):
    meeting = approved["meeting"]
    with pytest.raises(Http404):
        permissions.access_extract_meeting(people["housing"], meeting.pk)
    assert not permissions.actions_owned_by(people["housing"]).exists()
    minutes_approve(acting_user=people["chair"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_approved_at is not None
    _, agencies = permissions.access_extract_meeting(people["housing"], meeting.pk)
    extract = meeting_selectors.extract(people["housing"], meeting, agencies)
    assert [e.decisions for e in extract] == ["Synthetic decision A", "Synthetic decision B"]
    assert [a.text for e in extract for a in e.actions] == ["Synthetic: target-harden the flat"]
    assert AccessEvent.objects.filter(user=people["housing"], lens=Lens.AGENDA).count() == 2
    with pytest.raises(ValidationError, match="approved"):
        minute_save(
            acting_user=people["coordinator"],
            item=approved["items"][0],
            risks="",
            victim_voice="",
            decisions="Changed",
        )
    for user in (people["coordinator"], people["idva"]):
        with pytest.raises(Http404):
            permissions.access_extract_meeting(user, meeting.pk)


def test_only_the_owner_agency_updates_its_action(approved, people):
    minutes_approve(acting_user=people["chair"], meeting=approved["meeting"])
    action = approved["housing_action"]
    opened = permissions.access_owned_action(people["housing"], action.pk)
    for user in (people["police"], people["coordinator"], people["chair"], people["idva"], None):
        with pytest.raises(Http404):
            permissions.access_owned_action(user, action.pk)
    with pytest.raises(ValidationError, match="how the circumstances changed"):
        case_action_update(
            acting_user=people["housing"], action=opened, status=CaseActionStatus.NOT_POSSIBLE
        )
    with pytest.raises(ValidationError, match="still open, done or not possible"):
        case_action_update(
            acting_user=people["housing"], action=opened, status=CaseActionStatus.NOT_DONE
        )
    case_action_update(
        acting_user=people["housing"], action=opened, status=CaseActionStatus.DONE, note="Fitted"
    )
    action.refresh_from_db()
    assert (action.status, action.progress_note) == (CaseActionStatus.DONE, "Fitted")
    assert action.closed_at is not None


def test_the_next_meeting_reviews_and_closes_every_open_action(
    actor, approved, people, marac, make_case
):
    minutes_approve(acting_user=people["chair"], meeting=approved["meeting"])
    police, housing = approved["police_action"], approved["housing_action"]
    earlier = meeting_create(acting_user=actor, marac=marac, date=TODAY() - timedelta(days=40))
    with pytest.raises(ValidationError, match="later meeting"):
        case_action_review(
            acting_user=people["coordinator"],
            meeting=earlier,
            action=police,
            status=CaseActionStatus.DONE,
        )
    # The next meeting: today's actions are reviewed at it, so move this meeting back a month.
    meeting = approved["meeting"]
    meeting.date = TODAY() - timedelta(days=28)
    meeting.save(update_fields=["date"])
    following = meeting_create(acting_user=actor, marac=marac, date=TODAY())
    item = agenda_item_add(
        acting_user=actor,
        meeting=following,
        case=make_case(referral_date=TODAY() - timedelta(days=20)),
    )
    agenda_circulate(acting_user=actor, meeting=following)
    minute_save(
        acting_user=people["coordinator"], item=item, risks="", victim_voice="", decisions="D"
    )
    with pytest.raises(ValidationError, match="2 open actions still to review"):
        minutes_approve(acting_user=people["chair"], meeting=following)
    with pytest.raises(ValidationError, match="Choose done, not possible or not done"):
        case_action_review(
            acting_user=people["coordinator"],
            meeting=following,
            action=police,
            status=CaseActionStatus.OPEN,
        )
    for action, outcome in ((police, CaseActionStatus.NOT_DONE), (housing, "not_possible")):
        case_action_review(
            acting_user=people["coordinator"], meeting=following, action=action, status=outcome
        )
    police.refresh_from_db()
    housing.refresh_from_db()
    assert (police.status, police.review_meeting) == (CaseActionStatus.NOT_DONE, following)
    assert housing.status == CaseActionStatus.NOT_POSSIBLE
    with pytest.raises(ValidationError, match="already closed"):
        case_action_review(
            acting_user=people["coordinator"], meeting=following, action=police, status="done"
        )
    minutes_approve(acting_user=people["chair"], meeting=following)


def test_working_days_skip_weekends():
    friday = date(2026, 11, 27)
    assert working_days_after(friday, 1) == date(2026, 11, 30)
    assert working_days_after(friday, 3) == date(2026, 12, 2)
    assert working_days_after(date(2026, 11, 30), 3) == date(2026, 12, 3)
