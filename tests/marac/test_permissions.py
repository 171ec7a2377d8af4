"""Who may read a case through which lens (DESIGN §4): every role, own and other agency and
MARAC, each lens; out of scope answers like missing; do-not-disclose wins; agenda grants start
at circulation and end as DESIGN says; every allowed read writes exactly one access event."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from marac.models import AccessEvent, AgendaItemKind, Case, CaseActionStatus, Lens
from marac.permissions import access_case, cases_visible_to, read_cases
from marac.selectors import case_detail
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    case_action_close,
    case_action_create,
    case_agency_grant,
    case_allocate_idva,
    case_full_lens_grant,
    case_full_lens_revoke,
    do_not_disclose_add,
    meeting_create,
)
from partnership.models import Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

BOTH = {Lens.AGENDA, Lens.FULL}
AGENDA_ONLY = {Lens.AGENDA}
NONE: set[str] = set()


@pytest.fixture
def referrer_agency(marac, borough, actor):
    """The agency that referred the case (a charity), not a member agency."""
    return AgencyFactory(name="Test Referring Charity", category="voluntary_sector")


@pytest.fixture
def scenario(actor, marac, member_agency, other_agency, referrer_agency, make_case):
    """A case referred by `referrer_agency`, listed on an agenda circulated for a meeting
    held yesterday."""
    case = make_case(
        agency=referrer_agency, referral_date=timezone.localdate() - timedelta(days=30)
    )
    meeting = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() - timedelta(days=1)
    )
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    agenda_circulate(acting_user=actor, meeting=meeting)
    return case, meeting


def _people(actor, case, make_member, grant_role, other_marac, agency, referrer_agency):
    """One person per situation the matrix covers, and the lenses each should hold."""
    non_member = AgencyFactory(name="Test Non-member Agency")
    allocated_idva = make_member(Role.IDVA)
    case_allocate_idva(acting_user=actor, case=case, idva=allocated_idva)
    explicit = UserFactory(full_name="Test Explicitly Granted")
    case_full_lens_grant(acting_user=actor, case=case, user=explicit, reason="Synthetic transfer")
    extra_agency = AgencyFactory(name="Test Extra Agency")
    case_agency_grant(acting_user=actor, case=case, agency=extra_agency, reason="extra_agency")
    people = {
        "coordinator": (make_member(Role.MARAC_COORDINATOR), BOTH),
        "chair": (make_member(Role.MARAC_CHAIR), BOTH),
        "allocated idva": (allocated_idva, BOTH),
        "other idva": (make_member(Role.IDVA), NONE),
        "representative of a member agency": (make_member(Role.MARAC_REPRESENTATIVE), AGENDA_ONLY),
        "representative of the referring agency": (
            make_member(Role.MARAC_REPRESENTATIVE, agency_=referrer_agency),
            BOTH,
        ),
        "representative of a non-member agency": (
            make_member(Role.MARAC_REPRESENTATIVE, agency_=non_member),
            NONE,
        ),
        "representative of a granted agency": (
            make_member(Role.MARAC_REPRESENTATIVE, agency_=extra_agency),
            BOTH,
        ),
        "explicitly granted person": (explicit, BOTH),
        "coordinator of another MARAC": (grant_role(Role.MARAC_COORDINATOR, other_marac), NONE),
        "chair of another MARAC": (grant_role(Role.MARAC_CHAIR, other_marac), NONE),
        "representative at another MARAC (member agency)": (
            grant_role(Role.MARAC_REPRESENTATIVE, other_marac, through=agency),
            NONE,
        ),
        "representative at another MARAC (referring agency)": (
            grant_role(Role.MARAC_REPRESENTATIVE, other_marac, through=referrer_agency),
            NONE,
        ),
        "idva of another MARAC": (grant_role(Role.IDVA, other_marac), NONE),
    }
    for role in (
        Role.PARTNERSHIP_ADMIN,
        Role.COMMISSIONER,
        Role.LEAD_OFFICER,
        Role.DATA_PROTECTION_LEAD,
        Role.SERVICE_EDITOR,
        Role.BOARD_MEMBER,
    ):
        people[role.label] = (make_member(role), NONE)
    return people


def test_lens_matrix_every_role_own_and_other_agency_and_marac(
    actor, scenario, make_member, grant_role, other_marac, agency, referrer_agency, outsider
):
    """Each person reads exactly the lenses they hold; everything else is 404 like a missing
    case; each allowed read writes exactly one access event, and a refused one writes none."""
    case, _ = scenario
    people = _people(actor, case, make_member, grant_role, other_marac, agency, referrer_agency)
    people["outsider"] = (outsider, NONE)
    missing_id = Case.objects.order_by("-pk").first().pk + 1000
    for label, (person, lenses) in people.items():
        for lens in (Lens.AGENDA, Lens.FULL):
            before = AccessEvent.objects.count()
            listed = cases_visible_to(person, lens).filter(pk=case.pk).exists()
            if lens in lenses:
                assert access_case(person, case.pk, lens).pk == case.pk, (label, lens)
                event = AccessEvent.objects.order_by("-pk").first()
                assert AccessEvent.objects.count() == before + 1, (label, lens)
                assert (event.user_id, event.case_id, event.lens) == (person.pk, case.pk, lens)
                assert listed, (label, lens)
            else:
                with pytest.raises(Http404) as denied:
                    access_case(person, case.pk, lens)
                with pytest.raises(Http404) as missing:
                    access_case(person, missing_id, lens)
                assert str(denied.value) == str(missing.value)
                assert AccessEvent.objects.count() == before, (label, lens)
                assert not listed, (label, lens)
            # Lists ask the same rules both ways: case by case, and through every id the lens
            # reaches (`many`); both must agree with the detail read above.
            for many in (False, True):
                shown = read_cases(person, Case.objects.filter(pk=case.pk), lens, many=many)
                expected = [case.pk] if lens in lenses else []
                assert [c.pk for c in shown] == expected, (label, lens, many)


def test_anonymous_sees_nothing(scenario, anonymous):
    case, _ = scenario
    for lens in (Lens.AGENDA, Lens.FULL):
        assert not cases_visible_to(anonymous, lens).exists()
        with pytest.raises(Http404):
            access_case(anonymous, case.pk, lens)


def test_deactivated_or_ended_roles_lose_the_lens(actor, scenario, make_member):
    """A person whose account is deactivated, or whose role ended, reads nothing."""
    from partnership.services import membership_end

    case, _ = scenario
    coordinator = make_member(Role.MARAC_COORDINATOR)
    assert cases_visible_to(coordinator, Lens.FULL).filter(pk=case.pk).exists()
    membership_end(acting_user=actor, membership=coordinator.memberships.get())
    assert not cases_visible_to(coordinator, Lens.FULL).exists()
    chair = make_member(Role.MARAC_CHAIR)
    chair.is_active = False
    chair.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        access_case(chair, case.pk, Lens.FULL)


def test_agenda_lens_starts_at_circulation(actor, marac, member_agency, make_case, make_member):
    """Listing alone gives a representative nothing; circulating the agenda opens the lens."""
    case = make_case(referral_date=timezone.localdate() - timedelta(days=30))
    representative = make_member(Role.MARAC_REPRESENTATIVE, agency_=_another_agency())
    case_agency = representative.memberships.get().agency
    from marac.services import marac_member_agency_add

    marac_member_agency_add(acting_user=actor, marac=marac, agency=case_agency, isa_signed_on=None)
    meeting = meeting_create(acting_user=actor, marac=marac, date=timezone.localdate())
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    assert not cases_visible_to(representative, Lens.AGENDA).exists()
    agenda_circulate(acting_user=actor, meeting=meeting)
    assert list(cases_visible_to(representative, Lens.AGENDA)) == [case]
    assert not cases_visible_to(representative, Lens.FULL).exists()


def _another_agency():
    return AgencyFactory(name="Test Mental Health Trust", category="mental_health")


def test_agenda_lens_ends_after_the_set_period_unless_an_action_is_open(
    actor, marac, scenario, other_agency, make_member
):
    """The lens lasts `agenda_access_days` after the meeting; after that only while the
    representative's agency owns an open action on the case."""
    case, meeting = scenario
    representative = make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency)
    assert cases_visible_to(representative, Lens.AGENDA).filter(pk=case.pk).exists()

    marac.agenda_access_days = 0
    marac.save(update_fields=["agenda_access_days"])
    assert not cases_visible_to(representative, Lens.AGENDA).exists()

    action = case_action_create(
        acting_user=actor, case=case, meeting=meeting, owner_agency=other_agency, text="Synthetic"
    )
    assert cases_visible_to(representative, Lens.AGENDA).filter(pk=case.pk).exists()
    case_action_close(acting_user=actor, action=action, status=CaseActionStatus.DONE)
    assert not cases_visible_to(representative, Lens.AGENDA).exists()


@pytest.mark.parametrize("lens", [Lens.AGENDA, Lens.FULL])
def test_do_not_disclose_beats_every_lens(actor, scenario, make_member, lens, referrer_agency):
    """A do-not-disclose entry for the person, or for an agency they act for, wins over any role."""
    case, _ = scenario
    coordinator = make_member(Role.MARAC_COORDINATOR)
    referrer_rep = make_member(Role.MARAC_REPRESENTATIVE, agency_=referrer_agency)
    granted = UserFactory(full_name="Test Granted Then Barred")
    case_full_lens_grant(acting_user=actor, case=case, user=granted, reason="Synthetic")
    for person in (coordinator, referrer_rep, granted):
        assert access_case(person, case.pk, lens)
    do_not_disclose_add(acting_user=actor, case=case, user=coordinator)
    do_not_disclose_add(acting_user=actor, case=case, agency=referrer_agency)
    do_not_disclose_add(acting_user=actor, case=case, user=granted)
    for person in (coordinator, referrer_rep, granted):
        with pytest.raises(Http404):
            access_case(person, case.pk, lens)
        assert not cases_visible_to(person, lens).exists()


def test_revoking_an_explicit_grant_removes_the_lens(actor, scenario):
    case, _ = scenario
    person = UserFactory(full_name="Test Temporary Grant")
    case_full_lens_grant(acting_user=actor, case=case, user=person, reason="Synthetic")
    assert cases_visible_to(person, Lens.FULL).filter(pk=case.pk).exists()
    case_full_lens_revoke(acting_user=actor, case=case, user=person)
    assert not cases_visible_to(person, Lens.FULL).exists()


def test_agenda_lens_shows_only_what_an_agency_needs_to_research(
    actor, marac, scenario, other_agency, make_member
):
    """The agenda lens shows names, dates of birth, address, children's names, reference and
    risk, and its own agency's actions once minutes are approved; never safe contact details,
    DASH answers, other agencies' actions or the history. The full lens shows them."""
    case, meeting = scenario
    case_action_create(
        acting_user=actor, case=case, meeting=meeting, owner_agency=other_agency, text="Own action"
    )
    case_action_create(
        acting_user=actor,
        case=case,
        meeting=meeting,
        owner_agency=AgencyFactory(name="Test Other Owner"),
        text="Someone else's action",
    )
    representative = make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency)
    view = case_detail(representative, case.pk, Lens.AGENDA)
    assert view.victim["first_name"] == "Testvictim"
    assert view.victim["address"] == "1 Synthetic Row, Testtown"
    assert view.children == [{"first_name": "Testchild", "last_name": "Fictionalsurname"}]
    assert view.perpetrators[0]["first_name"] == "Testperp"
    assert (view.case_ref, view.dash_score) == (case.case_ref, 16)
    for hidden in ("safe_contact", "phone", "dash_answers", "not_safe_to_talk", "history"):
        assert getattr(view, hidden) is None, hidden
    assert view.actions == []  # minutes not yet approved

    meeting.minutes_approved_at = timezone.now()
    meeting.save(update_fields=["minutes_approved_at"])
    view = case_detail(representative, case.pk, Lens.AGENDA)
    assert [a["text"] for a in view.actions] == ["Own action"]

    coordinator = make_member(Role.MARAC_COORDINATOR)
    full = case_detail(coordinator, case.pk, Lens.FULL)
    assert full.safe_contact == "Call the synthetic mobile after 6pm"
    assert len(full.dash_answers) == 24
    assert {a["text"] for a in full.actions} == {"Own action", "Someone else's action"}
    assert full.history[0]["kind"] == AgendaItemKind.NEW
