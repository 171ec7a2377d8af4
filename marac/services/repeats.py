"""Repeat detection (DESIGN §7) and the cross-MARAC flag, decided once and stored.

A referral is a repeat when the same victim (blind index) had an earlier referral to the same
MARAC at most 365 days before it, and the two share a perpetrator (blind index) or either names
none. The flag records another MARAC of the partnership that heard the same victim in the 365
days before the referral; it names that MARAC and nothing else.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q

from marac.models import AgendaItem, Perpetrator, Referral

REPEAT_WINDOW_DAYS = 365


def _earlier_referrals(referral: Referral):
    case = referral.case
    day = referral.referral_date
    return (
        Referral.objects.filter(
            case__marac_id=case.marac_id,
            case__victim__blind_index=case.victim.blind_index,
            decided_at__isnull=False,
            referral_date__gte=day - timedelta(days=REPEAT_WINDOW_DAYS),
        )
        .filter(Q(referral_date__lt=day) | Q(referral_date=day, pk__lt=referral.pk))
        .exclude(pk=referral.pk)
    )


def find_repeat_of(referral: Referral) -> Referral | None:
    """The latest earlier referral that makes this one a repeat, or None."""
    earlier = _earlier_referrals(referral)
    own = list(referral.case.perpetrators.values_list("blind_index", flat=True))
    if own:
        theirs = Perpetrator.objects.filter(case_id=OuterRef("case_id"))
        earlier = earlier.filter(~Exists(theirs) | Exists(theirs.filter(blind_index__in=own)))
    return earlier.order_by("-referral_date", "-pk").first()


def find_heard_elsewhere(referral: Referral):
    """Another MARAC of the partnership that heard this victim in the year before, or None."""
    case = referral.case
    day = referral.referral_date
    item = (
        AgendaItem.objects.filter(
            case__victim__blind_index=case.victim.blind_index,
            case__marac__partnership_id=case.marac.partnership_id,
            heard_at__isnull=False,
            meeting__date__gte=day - timedelta(days=REPEAT_WINDOW_DAYS),
            meeting__date__lte=day,
        )
        .exclude(case__marac_id=case.marac_id)
        .select_related("meeting__marac")
        .order_by("-meeting__date")
        .first()
    )
    return item.meeting.marac if item else None


def decide(referral: Referral) -> None:
    """Set (not save) the stored repeat status and cross-MARAC flag of a referral."""
    repeat_of = find_repeat_of(referral)
    referral.is_repeat = repeat_of is not None
    referral.repeat_of = repeat_of
    referral.heard_elsewhere = find_heard_elsewhere(referral)
