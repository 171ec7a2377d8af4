"""Reminder emails: research due, minutes ready, action due and overdue; only to the right
representatives; nothing personal in them (a case reference and a link only); each sent once;
the page showing what each person will be reminded of; the beat task on a real worker."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marac.models import AccessEvent, ReminderKind, ReminderSent
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    case_action_create,
    do_not_disclose_add,
    meeting_create,
    minute_save,
    minutes_approve,
    research_save,
)
from marac.services.reminders import reminders_for, reminders_send
from partnership.models import Role
from portal.settings import CELERY_BEAT_SCHEDULE
from tests.reporting.conftest import celery_worker_thread  # noqa: F401  (a real worker)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PERSONAL = [
    "Testvictim",
    "Fictionalsurname",
    "1990",
    "Synthetic Row",
    "Testperp",
    "Madeupname",
    "Testchild",
    "07700",
    "SECRETACTION",
]


@pytest.fixture
def setting(actor, marac, make_case, make_member, agency, other_agency, member_agency):
    """An approved meeting last month with an overdue housing action and a police action due
    in two days; next week's circulated agenda with one case for research."""
    coordinator = make_member(Role.MARAC_COORDINATOR)
    chair = make_member(Role.MARAC_CHAIR)
    police = make_member(Role.MARAC_REPRESENTATIVE)
    housing = make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency)
    past = meeting_create(acting_user=actor, marac=marac, date=TODAY() - timedelta(days=7))
    heard = make_case(referral_date=TODAY() - timedelta(days=30))
    item = agenda_item_add(acting_user=actor, meeting=past, case=heard)
    agenda_circulate(acting_user=actor, meeting=past)
    overdue = case_action_create(
        acting_user=coordinator,
        case=heard,
        owner_agency=other_agency,
        text="Synthetic SECRETACTION overdue",
        meeting=past,
        due_on=TODAY() - timedelta(days=1),
    )
    due_soon = case_action_create(
        acting_user=coordinator,
        case=heard,
        owner_agency=agency,
        text="Synthetic SECRETACTION soon",
        meeting=past,
        due_on=TODAY() + timedelta(days=2),
    )
    minute_save(acting_user=coordinator, item=item, risks="", victim_voice="", decisions="D")
    minutes_approve(acting_user=chair, meeting=past)
    upcoming = meeting_create(acting_user=actor, marac=marac, date=TODAY() + timedelta(days=2))
    listed = agenda_item_add(
        acting_user=actor,
        meeting=upcoming,
        case=make_case(referral_date=TODAY() - timedelta(days=20)),
    )
    agenda_circulate(acting_user=actor, meeting=upcoming)
    return {
        "police": police,
        "housing": housing,
        "coordinator": coordinator,
        "past": past,
        "overdue": overdue,
        "due_soon": due_soon,
        "listed": listed,
    }


def _kinds(user) -> set[tuple[str, int]]:
    return {(r.kind, r.object_id) for r in reminders_for(user)}


def test_each_representative_is_reminded_of_their_own_agencys_work(setting, agency):
    police, housing = setting["police"], setting["housing"]
    listed, past = setting["listed"], setting["past"]
    assert _kinds(police) == {
        (ReminderKind.RESEARCH_DUE, listed.pk),
        (ReminderKind.MINUTES_READY, past.pk),
        (ReminderKind.ACTION_DUE, setting["due_soon"].pk),
    }
    assert _kinds(housing) == {
        (ReminderKind.RESEARCH_DUE, listed.pk),
        (ReminderKind.MINUTES_READY, past.pk),
        (ReminderKind.ACTION_OVERDUE, setting["overdue"].pk),
    }
    assert reminders_for(setting["coordinator"]) == []
    research_save(acting_user=police, item=listed, agency=agency, findings="Synthetic")
    assert (ReminderKind.RESEARCH_DUE, listed.pk) not in _kinds(police)
    assert (ReminderKind.RESEARCH_DUE, listed.pk) in _kinds(housing)


def test_a_do_not_disclose_entry_stops_reminders_about_the_case(setting, actor, other_agency):
    do_not_disclose_add(
        acting_user=actor, case=setting["listed"].case, agency=other_agency, reason="Synthetic"
    )
    assert (ReminderKind.RESEARCH_DUE, setting["listed"].pk) not in _kinds(setting["housing"])


def test_reminders_hold_no_personal_data_and_are_sent_once(setting, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.test"
    assert reminders_send() == 6
    assert len(mail.outbox) == 6
    for message in mail.outbox:
        text = message.subject + message.body
        assert not [word for word in PERSONAL if word in text], text
        assert "https://portal.example.test/marac/" in message.body
    housing_mail = [m for m in mail.outbox if m.to == [setting["housing"].email]]
    overdue = next(m for m in housing_mail if "overdue" in m.subject)
    assert setting["listed"].case.case_ref not in overdue.body
    assert f"/marac/my-actions/{setting['overdue'].pk}/" in overdue.body
    assert reminders_send() == 0
    assert len(mail.outbox) == 6
    assert ReminderSent.objects.count() == 6


def test_a_reminder_not_yet_due_waits(setting, actor):
    setting["due_soon"].due_on = TODAY() + timedelta(days=10)
    setting["due_soon"].save(update_fields=["due_on"])
    upcoming = next(r for r in reminders_for(setting["police"]) if r.kind == "action_due")
    assert upcoming.send_on == TODAY() + timedelta(days=7)
    reminders_send()
    assert not ReminderSent.objects.filter(kind="action_due").exists()
    assert reminders_send(today=TODAY() + timedelta(days=7)) == 1


def test_the_reminders_page_is_for_representatives_and_records_the_cases_it_names(
    client, sign_in, setting, make_member
):
    sign_in(client, setting["housing"])
    page = client.get(reverse("marac:reminders"))
    assert page.status_code == 200
    body = page.content.decode()
    assert setting["listed"].case.case_ref in body
    assert "Action overdue" in body
    assert AccessEvent.objects.filter(user=setting["housing"], lens="agenda").count() == 2
    for other in (setting["coordinator"], make_member(Role.IDVA)):
        sign_in(client, other)
        assert client.get(reverse("marac:reminders")).status_code == 404


def test_beat_sends_the_reminders_daily():
    entry = CELERY_BEAT_SCHEDULE["marac-reminders"]
    assert entry["task"] == "marac.tasks.send_marac_reminders"


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_task_sends_reminders_on_a_real_worker(
    celery_worker_thread,  # noqa: F811
    actor,
    marac,
    make_case,
    make_member,
    agency,
    member_agency,
):
    representative = make_member(Role.MARAC_REPRESENTATIVE)
    meeting = meeting_create(acting_user=actor, marac=marac, date=TODAY() + timedelta(days=1))
    agenda_item_add(
        acting_user=actor, meeting=meeting, case=make_case(referral_date=TODAY() - timedelta(20))
    )
    agenda_circulate(acting_user=actor, meeting=meeting)
    from marac.tasks import send_marac_reminders

    send_marac_reminders.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not ReminderSent.objects.exists():
        time.sleep(0.2)
    sent = ReminderSent.objects.get()
    assert (sent.user, sent.kind) == (representative, ReminderKind.RESEARCH_DUE)
