"""Retention (issue 7, item 9): `purge_expired_marac_data` is a dry run unless --apply; it
removes the personal data of cases past their MARAC's retention period, keeps the indicator
counts and every access event, and skips cases under a legal hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marac.fields import EncryptedField
from marac.models import AccessEvent, Case, Child, LegalHold, Lens, Perpetrator, Victim
from marac.permissions import access_case
from marac.selectors import indicators
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    case_action_create,
    case_close,
    legal_hold_lift,
    legal_hold_set,
    meeting_create,
    minute_draft_save,
    minute_save,
    research_save,
)
from marac.services.retention import months_before
from partnership.models import ChangeRecord, Role
from tests.marac.factories import perpetrator, victim

pytestmark = pytest.mark.django_db

CANARY = "Zzpurgecanary"
PERIOD = {"start": date(2010, 1, 1), "end": date(2030, 12, 31)}


@pytest.fixture
def old_case(actor, marac, make_case, agency, member_agency):
    """A case heard long ago and closed past the MARAC's retention period, carrying a unique
    planted name in every kind of personal field."""

    def make(ref: str, *, closed_days_ago: int = 8 * 365):
        case = make_case(
            case_ref=ref,
            referral_date=timezone.localdate() - timedelta(days=60),
            victim_details=victim(first=f"{CANARY}{ref}", last=f"{CANARY}Surname"),
            perpetrators=[perpetrator(first=f"{CANARY}Perp", last="Fictional")],
        )
        Child.objects.filter(case=case).update(first_name=f"{CANARY}Child")
        Victim.objects.filter(case=case).update(
            address=f"1 {CANARY} Street", safe_contact=f"Call {CANARY}"
        )
        meeting = meeting_create(
            acting_user=actor,
            marac=marac,
            date=timezone.localdate() - timedelta(days=30 + len(ref)),
        )
        item = agenda_item_add(acting_user=actor, meeting=meeting, case=case)
        agenda_circulate(acting_user=actor, meeting=meeting)
        research_save(acting_user=actor, item=item, agency=agency, findings=f"{CANARY} known to us")
        minute_text = {"risks": f"{CANARY} risk", "victim_voice": "", "decisions": "Refer."}
        minute_save(acting_user=actor, item=item, **minute_text)
        minute_draft_save(
            acting_user=actor, item=item, text={**minute_text, "decisions": f"{CANARY} draft"}
        )
        case_action_create(
            acting_user=actor, case=case, owner_agency=agency, text=f"Visit {CANARY} at home"
        )
        case_close(acting_user=actor, case=case)
        Case.objects.filter(pk=case.pk).update(
            closed_at=timezone.now() - timedelta(days=closed_days_ago)
        )
        return case

    return make


def _decrypted_values() -> list[str]:
    """Every encrypted value in the database, decrypted."""
    values = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedField)]
        for row in model._default_manager.values_list(*fields) if fields else []:
            values.extend(str(value) for value in row if value)
    return values


def _raw_text_of_every_table() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        columns = cursor.fetchall()
        chunks = []
        for table, column in columns:
            # Names from information_schema, not user input.
            cursor.execute(f'SELECT "{column}"::text FROM "{table}"')  # noqa: S608  # nosec B608
            chunks.extend(value for (value,) in cursor.fetchall() if value)
    return "\n".join(chunks)


def _tokens_of(case: Case) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name, address FROM marac_victim WHERE case_id = %s", [case.pk]
        )
        return [token for token in cursor.fetchone() if token]


def test_months_before_handles_short_months():
    moment = timezone.make_aware(timezone.datetime(2026, 3, 31, 12, 0))
    assert months_before(moment, 1).date() == date(2026, 2, 28)
    assert months_before(moment, 72).date() == date(2020, 3, 31)


def test_dry_run_changes_nothing(old_case, capsys):
    case = old_case("TEST-DRY")
    before = (_raw_text_of_every_table(), ChangeRecord.objects.count())
    call_command("purge_expired_marac_data")
    out = capsys.readouterr().out
    assert "Dry run: would remove personal data from 1 case;" in out
    assert "Nothing was changed" in out
    assert (_raw_text_of_every_table(), ChangeRecord.objects.count()) == before
    case.refresh_from_db()
    assert case.personal_data_purged_at is None


def test_apply_removes_personal_data_and_keeps_counts_and_access_events(
    old_case, marac, marac_coordinator, capsys
):
    """After --apply the planted name is nowhere in the database (decrypted or raw, nor its
    old ciphertexts), the indicators are unchanged, every access event remains, the case no
    longer opens, and a case still inside its retention period is untouched."""
    purged = old_case("TEST-OLD")
    recent = old_case("TEST-RECENT", closed_days_ago=30)
    access_case(marac_coordinator, purged.pk, Lens.FULL)
    events_before = list(AccessEvent.objects.order_by("pk").values_list("pk", "case_id"))
    figures_before = indicators(marac=marac, **PERIOD)
    old_tokens = _tokens_of(purged)
    assert figures_before["cases_discussed"] == 2
    assert any(f"{CANARY}TEST-OLD" in value for value in _decrypted_values())

    call_command("purge_expired_marac_data", "--apply")
    assert "Removed personal data from 1 case; 0 skipped" in capsys.readouterr().out

    values = _decrypted_values()
    assert not any(f"{CANARY}TEST-OLD" in value for value in values)
    assert any(f"{CANARY}TEST-RECENT" in value for value in values)
    raw = _raw_text_of_every_table()
    assert all(token not in raw for token in old_tokens)
    assert CANARY not in raw
    assert indicators(marac=marac, **PERIOD) == figures_before
    assert list(AccessEvent.objects.order_by("pk").values_list("pk", "case_id")) == events_before
    purged.refresh_from_db()
    assert purged.personal_data_purged_at is not None
    assert not Perpetrator.objects.filter(case=purged).exists()
    assert not Child.objects.filter(case=purged).exists()
    assert Perpetrator.objects.filter(case=recent).exists()
    record = ChangeRecord.objects.get(action="case_personal_data_purge")
    assert (record.object_id, record.actor.is_system) == (str(purged.pk), True)
    client = Client()
    client.force_login(marac_coordinator)
    from conftest import verify_session

    verify_session(client)
    assert client.get(reverse("marac:case", args=[purged.pk])).status_code == 404
    call_command("purge_expired_marac_data", "--apply")
    assert "Removed personal data from 0 cases" in capsys.readouterr().out


def test_a_legal_hold_keeps_the_case_until_lifted(old_case, marac_coordinator, capsys):
    case = old_case("TEST-HELD")
    hold = legal_hold_set(
        acting_user=marac_coordinator, case=case, reason="Synthetic domestic homicide review"
    )
    call_command("purge_expired_marac_data", "--apply")
    assert "Removed personal data from 0 cases; 1 skipped under a legal hold" in (
        capsys.readouterr().out
    )
    case.refresh_from_db()
    assert case.personal_data_purged_at is None
    assert any(f"{CANARY}TEST-HELD" in value for value in _decrypted_values())
    legal_hold_lift(acting_user=marac_coordinator, hold=hold, reason="Synthetic: review ended")
    call_command("purge_expired_marac_data", "--apply")
    case.refresh_from_db()
    assert case.personal_data_purged_at is not None
    assert not any(CANARY in value for value in _decrypted_values())
    actions = list(ChangeRecord.objects.values_list("action", flat=True))
    assert "legal_hold_set" in actions
    assert "legal_hold_lift" in actions


def test_legal_holds_need_a_reason_and_one_at_a_time(old_case, actor):
    case = old_case("TEST-RULES")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        legal_hold_set(acting_user=actor, case=case, reason="  ")
    hold = legal_hold_set(acting_user=actor, case=case, reason="Synthetic")
    with pytest.raises(ValidationError):
        legal_hold_set(acting_user=actor, case=case, reason="Again")
    with pytest.raises(ValidationError):
        legal_hold_lift(acting_user=actor, hold=hold, reason="")
    assert LegalHold.objects.filter(lifted_at__isnull=True).count() == 1


def test_an_unknown_marac_is_refused(old_case):
    old_case("TEST-UNKNOWN")
    with pytest.raises(CommandError, match="no MARAC with that slug"):
        call_command("purge_expired_marac_data", "--apply", "--marac", "no-such-marac")
    assert not Case.objects.filter(personal_data_purged_at__isnull=False).exists()


def test_who_may_set_a_legal_hold(
    sign_in, old_case, make_member, other_marac, grant_role, outsider
):
    """The MARAC's coordinator and the data protection lead set and lift holds on the page;
    the chair, a representative, a commissioner, another MARAC's coordinator and an outsider
    get 404."""
    case = old_case("TEST-PAGE")
    url = reverse("marac:legal_hold", args=[case.pk])
    coordinator = sign_in(Client(), make_member(Role.MARAC_COORDINATOR))
    blank = coordinator.post(url, {"reason": ""})
    assert blank.status_code == 200
    assert "govuk-error-summary" in blank.content.decode()
    assert coordinator.post(url, {"reason": "Synthetic review"}).status_code == 302
    assert LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists()
    lead = sign_in(Client(), make_member(Role.DATA_PROTECTION_LEAD))
    assert "Lift the hold" in lead.get(url).content.decode()
    assert lead.post(url, {"reason": "Synthetic: review ended"}).status_code == 302
    assert not LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists()
    for person in (
        make_member(Role.MARAC_CHAIR),
        make_member(Role.MARAC_REPRESENTATIVE),
        make_member(Role.COMMISSIONER),
        grant_role(Role.MARAC_COORDINATOR, other_marac),
        outsider,
    ):
        client = sign_in(Client(), person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert LegalHold.objects.count() == 1
