"""The MARAC meeting in a real browser: a coordinator records attendance, minutes two cases and
assigns actions, reloading mid-minute without losing a word (the draft saved as it was typed);
a representative researches a listed case and updates their agency's action. axe finds no
WCAG 2.2 AA violations on the agenda, meeting-day, item, tracker and representative pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.models import CaseAction, CaseActionStatus, Minute, MinuteDraft, Research
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    case_action_create,
    meeting_create,
    minute_save,
    minutes_approve,
)
from partnership.models import Role
from tests.browser.conftest import axe_violations, click_and_wait
from tests.marac.conftest import make_case, member_agency, other_agency  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate


@pytest.fixture
def meeting_setup(actor, marac, member_agency, other_agency, make_member, make_case):  # noqa: F811
    coordinator = make_member(Role.MARAC_COORDINATOR)
    chair = make_member(Role.MARAC_CHAIR)
    representative = make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency)
    past = meeting_create(acting_user=actor, marac=marac, date=TODAY() - timedelta(days=28))
    old_item = agenda_item_add(
        acting_user=actor, meeting=past, case=make_case(referral_date=TODAY() - timedelta(days=50))
    )
    agenda_circulate(acting_user=actor, meeting=past)
    action = case_action_create(
        acting_user=coordinator,
        case=old_item.case,
        owner_agency=other_agency,
        text="Synthetic: fit a door chain at the flat",
        meeting=past,
        due_on=TODAY() - timedelta(days=2),
    )
    minute_save(
        acting_user=coordinator,
        item=old_item,
        risks="Synthetic",
        victim_voice="Synthetic",
        decisions="Synthetic decision of the last meeting",
    )
    minutes_approve(acting_user=chair, meeting=past)
    today = meeting_create(acting_user=actor, marac=marac, date=TODAY())
    items = [
        agenda_item_add(
            acting_user=actor,
            meeting=today,
            case=make_case(referral_date=TODAY() - timedelta(days=20), case_ref=f"BROWSER-MTG-{n}"),
        )
        for n in (1, 2)
    ]
    agenda_circulate(acting_user=actor, meeting=today)
    return {
        "coordinator": coordinator,
        "representative": representative,
        "today": today,
        "items": items,
        "action": action,
    }


def _no_violations(page) -> None:
    assert axe_violations(page) == [], page.url


def _minute(page, risks: str, voice: str, decisions: str) -> None:
    page.fill("#id_risks", risks)
    page.fill("#id_victim_voice", voice)
    page.fill("#id_decisions", decisions)


def test_a_coordinator_runs_the_meeting_and_a_reload_mid_minute_loses_nothing(
    page,
    live_server,
    sign_in_browser,
    meeting_setup,
    marac,
    agency,
    other_agency,  # noqa: F811
):
    today = meeting_setup["today"]
    sign_in_browser(page, meeting_setup["coordinator"])
    page.goto(f"{live_server.url}/marac/{marac.slug}/meetings/{today.pk}/")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("link", name="Run the meeting"))
    _no_violations(page)

    page.select_option("#id_attendance-agency", label=agency.name)
    page.fill("#id_attendance-name", "Test Officer Notreal")
    page.check("#id_attendance-kind_0", force=True)
    page.check("#id_attendance-confidentiality_signed", force=True)
    click_and_wait(page, page.get_by_role("button", name="Record attendance"))
    assert "Attendance recorded" in page.content()
    assert "Test Officer Notreal" in page.inner_text("table")

    click_and_wait(page, page.get_by_role("link", name="BROWSER-MTG-1"))
    _no_violations(page)
    page.locator("#id_risks").press_sequentially("Synthetic risk: threats at the school gate")
    page.locator("#id_decisions").press_sequentially("Synthetic decision: refer to MAPPA")
    page.wait_for_function(
        "document.getElementById('draft-status').textContent.includes('Draft saved')"
    )
    page.wait_for_function(
        "document.querySelector('form[data-draft-url]') && "
        "document.querySelector('form[data-draft-url]').getAttribute('data-draft-saved')"
    )
    page.wait_for_timeout(1200)  # let the last keystrokes' save land
    page.reload(wait_until="load")
    assert page.input_value("#id_risks") == "Synthetic risk: threats at the school gate"
    assert page.input_value("#id_decisions") == "Synthetic decision: refer to MAPPA"
    assert page.locator("#draft-restored").count() == 1
    page.fill("#id_victim_voice", "Synthetic: wants to stay in the flat")
    click_and_wait(page, page.get_by_role("button", name="Save the minute"))
    assert "Minute of item 1 saved" in page.content()

    page.select_option("#id_action-owner_agency", label=other_agency.name)
    page.fill("#id_action-text", "Synthetic: change the locks")
    page.check("#id_action-focus_0", force=True)
    page.fill("#id_action-due_on", (TODAY() + timedelta(days=14)).isoformat())
    click_and_wait(page, page.get_by_role("button", name="Add the action"))
    assert "Action added" in page.content()
    assert "Synthetic: change the locks" in page.inner_text("table")
    _no_violations(page)

    click_and_wait(page, page.get_by_role("link", name="Next item"))
    _minute(page, "Synthetic risk two", "Synthetic voice two", "Synthetic decision two")
    click_and_wait(page, page.get_by_role("button", name="Save the minute"))
    page.select_option("#id_action-owner_agency", label=agency.name)
    page.fill("#id_action-text", "Synthetic: flag the address")
    page.check("#id_action-focus_2", force=True)
    page.fill("#id_action-due_on", (TODAY() + timedelta(days=7)).isoformat())
    click_and_wait(page, page.get_by_role("button", name="Add the action"))

    first, second = meeting_setup["items"]
    assert Minute.objects.get(item=first).risks == "Synthetic risk: threats at the school gate"
    assert Minute.objects.get(item=first).victim_voice == "Synthetic: wants to stay in the flat"
    assert Minute.objects.get(item=second).decisions == "Synthetic decision two"
    assert not MinuteDraft.objects.exists()
    assert CaseAction.objects.filter(meeting=today).count() == 2
    assert CaseAction.objects.get(meeting=today, owner_agency=agency).focus == "perpetrator"

    page.goto(f"{live_server.url}/marac/{marac.slug}/meetings/{today.pk}/day/")
    assert page.locator(".govuk-tag--green", has_text="Minuted").count() == 2
    page.goto(f"{live_server.url}/marac/{marac.slug}/actions/")
    assert "Synthetic: fit a door chain at the flat" in page.content()
    _no_violations(page)


def test_a_representative_researches_a_case_and_updates_their_agencys_action(
    page,
    live_server,
    sign_in_browser,
    meeting_setup,
    other_agency,  # noqa: F811
):
    sign_in_browser(page, meeting_setup["representative"])
    page.goto(f"{live_server.url}/marac/research/")
    _no_violations(page)
    click_and_wait(page, page.get_by_role("link", name="BROWSER-MTG-1"))
    _no_violations(page)
    page.fill("#id_findings", "Synthetic: tenancy in the victim's name since 2021")
    click_and_wait(page, page.get_by_role("button", name="Save research"))
    assert "Research on case BROWSER-MTG-1 saved" in page.content()
    assert Research.objects.get(agency=other_agency).findings.startswith("Synthetic: tenancy")

    page.goto(f"{live_server.url}/marac/my-actions/")
    _no_violations(page)
    assert "Synthetic: fit a door chain at the flat" in page.content()
    click_and_wait(page, page.get_by_role("link", name="update the action"))
    _no_violations(page)
    page.check("#id_status_1", force=True)
    page.fill("#id_note", "Synthetic: chain fitted on Tuesday")
    click_and_wait(page, page.get_by_role("button", name="Update the action"))
    assert "Action updated" in page.content()
    action = CaseAction.objects.get(pk=meeting_setup["action"].pk)
    assert action.status == CaseActionStatus.DONE
    page.goto(f"{live_server.url}/marac/extracts/{action.meeting_id}/")
    assert "Synthetic decision of the last meeting" in page.content()
    _no_violations(page)
    page.goto(f"{live_server.url}/marac/reminders/")
    assert "Minutes ready" in page.content()
    _no_violations(page)
    page.goto(f"{live_server.url}/marac/cases/{action.case_id}/")
    assert "Synthetic decision of the last meeting" in page.content()
    _no_violations(page)
