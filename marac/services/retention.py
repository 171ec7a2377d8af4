"""Retention: legal holds, and the purge of personal data from cases past their MARAC's
retention period (`Marac.retention_months` after the case closed or was transferred).

The purge keeps what the SafeLives indicators count (the case, its referral's criteria, score,
repeat flag and referring routes, the victim's equality categories, the children count, agenda
items and meetings) and every access event, so `marac.selectors.indicators` gives the same
figures before and after. It removes every identifier and free text, listed model by model in
`PERSONAL_DATA` below: a model that holds personal data of a case must be added there.
A case under an active legal hold is skipped.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from marac.models import (
    Case,
    CaseAction,
    CaseStatus,
    CaseTransfer,
    Child,
    DashAssessment,
    DoNotDisclose,
    LegalHold,
    Marac,
    Minute,
    MinuteDraft,
    Perpetrator,
    Referral,
    Research,
    Victim,
)
from marac.services.recording import record, stamp
from partnership.models import User


@dataclass(frozen=True)
class PersonalData:
    """Where a model keeps personal data of a case, and how the purge removes it: deleting its
    rows, or blanking the named fields (the rest of the row is anonymous and kept).

    `case_path` is the lookup from the model to the case (`"case"`, `"agenda_item__case"`).
    """

    model: type[models.Model]
    case_path: str = "case"
    blank: tuple[str, ...] = ()
    delete: bool = False

    def rows(self, case_ids: Iterable[int]) -> models.QuerySet:
        return self.model._default_manager.filter(**{f"{self.case_path}__in": list(case_ids)})

    def purge(self, case_ids: Iterable[int]) -> int:
        rows = self.rows(case_ids)
        if self.delete:
            return rows.delete()[0]
        return rows.update(**dict.fromkeys(self.blank, ""))


# Every model holding personal data of a case. Add new ones here.
PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData(
        Victim,
        blank=(
            "first_name",
            "last_name",
            "aliases",
            "date_of_birth",
            "address",
            "phone",
            "safe_contact",
            "blind_index",
        ),
    ),
    PersonalData(Perpetrator, delete=True),
    PersonalData(Child, delete=True),
    PersonalData(DashAssessment, delete=True),
    PersonalData(Referral, blank=("pj_rationale", "not_safe_to_talk", "lawful_basis")),
    PersonalData(CaseAction, blank=("text", "progress_note")),
    PersonalData(Research, case_path="item__case", blank=("findings", "withheld_reason")),
    PersonalData(Minute, case_path="item__case", blank=("risks", "victim_voice", "decisions")),
    PersonalData(MinuteDraft, case_path="item__case", delete=True),
    PersonalData(DoNotDisclose, blank=("reason",)),
    PersonalData(CaseTransfer, blank=("reason", "decline_reason")),
    PersonalData(LegalHold, blank=("reason", "lift_reason")),
)

ENDED = (CaseStatus.CLOSED, CaseStatus.TRANSFERRED)


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (the last day if the month is short)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class PurgePlan:
    """Cases past retention: those to purge, and those kept under a legal hold (by MARAC)."""

    due: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    by_marac: dict[str, tuple[int, int]] = field(default_factory=dict)


def _retention_ends(case: dict, months: dict[int, int], now: datetime) -> bool:
    """Past retention at its MARAC and, when transferred within the system, at the receiving
    one too (the longer period wins)."""
    periods = [months[case["marac_id"]]]
    if case["transferred_to_id"]:
        periods.append(months[case["transferred_to_id"]])
    return case["closed_at"] < months_before(now, max(periods))


def purge_plan(*, now: datetime | None = None, maracs: Iterable[Marac] | None = None) -> PurgePlan:
    """Which cases the purge would remove personal data from, and which a legal hold keeps."""
    now = now or timezone.now()
    all_maracs = {m.pk: m for m in Marac.objects.all()}
    months = {pk: m.retention_months for pk, m in all_maracs.items()}
    cases = Case.objects.filter(
        status__in=ENDED, closed_at__isnull=False, personal_data_purged_at__isnull=True
    )
    if maracs is not None:
        cases = cases.filter(marac__in=list(maracs))
    held = set(
        LegalHold.objects.filter(lifted_at__isnull=True, case__in=cases).values_list(
            "case_id", flat=True
        )
    )
    plan = PurgePlan()
    rows = cases.order_by("pk").values("pk", "marac_id", "transferred_to_id", "closed_at")
    for case in rows:
        if not _retention_ends(case, months, now):
            continue
        (plan.held if case["pk"] in held else plan.due).append(case["pk"])
        name = all_maracs[case["marac_id"]].slug
        due, kept = plan.by_marac.get(name, (0, 0))
        plan.by_marac[name] = (due, kept + 1) if case["pk"] in held else (due + 1, kept)
    return plan


@transaction.atomic
def marac_data_purge(
    *, acting_user: User, now: datetime | None = None, maracs: Iterable[Marac] | None = None
) -> PurgePlan:
    """Remove the personal data of every case past retention and not under a legal hold, in
    one transaction; each case purged is recorded."""
    now = now or timezone.now()
    plan = purge_plan(now=now, maracs=maracs)
    locked = list(
        Case.objects.select_for_update()
        .select_related("marac__partnership")
        .filter(pk__in=plan.due)
        .order_by("pk")
    )
    for source in PERSONAL_DATA:
        source.purge(plan.due)
    for case in locked:
        case.personal_data_purged_at = now
        stamp(case, acting_user, new=False)
        case.save(update_fields=["personal_data_purged_at", "updated_at", "updated_by"])
        record(
            acting_user=acting_user, action="case_personal_data_purge", obj=case, marac=case.marac
        )
    return plan


@transaction.atomic
def legal_hold_set(*, acting_user: User, case: Case, reason: str) -> LegalHold:
    """Keep a case's personal data past its retention period, for the reason given."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case must be kept."})
    if case.personal_data_purged_at is not None:
        raise ValidationError("This case's personal data has already been removed.")
    if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise ValidationError("This case is already under a legal hold.")
    hold = LegalHold(case=case, reason=reason.strip())
    stamp(hold, acting_user, new=True)
    hold.save()
    record(
        acting_user=acting_user,
        action="legal_hold_set",
        obj=hold,
        marac=case.marac,
        detail={"case": case.pk},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, acting_user: User, hold: LegalHold, reason: str) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the hold can be lifted."})
    hold = (
        LegalHold.objects.select_for_update(of=("self",))
        .select_related("case__marac")
        .get(pk=hold.pk)
    )
    if hold.lifted_at is not None:
        raise ValidationError("This legal hold has already been lifted.")
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), acting_user, reason.strip()
    stamp(hold, acting_user, new=False)
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at", "updated_by"])
    record(
        acting_user=acting_user,
        action="legal_hold_lift",
        obj=hold,
        marac=hold.case.marac,
        detail={"case": hold.case_id},
    )
    return hold
