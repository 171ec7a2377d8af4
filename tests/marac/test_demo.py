"""seed_demo's MARAC records: four MARACs, twelve months of meetings ending last month, about
fifteen synthetic cases a meeting with computed repeats; idempotent."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from marac.models import (
    AgendaItem,
    Attendance,
    Case,
    CaseAction,
    Child,
    Marac,
    MaracMemberAgency,
    Meeting,
    Minute,
    Referral,
    ReferralSource,
    Research,
    Victim,
)

pytestmark = pytest.mark.django_db

SYNTHETIC_SURNAME = re.compile(
    r"^(Notreal|Madeup|Fictional|Invented|Synthetic|Placeholder|Specimen|Example|Mockford|"
    r"Dummyworth|Sampleton|Testwell|Pretendby|Imaginary)-[A-Z]{2}\d+$"
)


def _last_month_start():
    first = timezone.localdate().replace(day=1)
    return (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)


def test_seed_demo_builds_a_year_of_synthetic_marac_records_once(settings):
    """Twelve monthly meetings per MARAC with computed repeats, complete minutes and actions
    in every status; a second run changes nothing."""
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    this_month = timezone.localdate().replace(day=1)
    for marac in Marac.objects.all():
        dates = list(
            Meeting.objects.filter(marac=marac).order_by("date").values_list("date", flat=True)
        )
        assert len(dates) == 12, marac.slug
        assert dates[-1] < this_month
        assert dates[-1] >= _last_month_start()
        assert len({(d.year, d.month) for d in dates}) == 12
        per_meeting = (
            AgendaItem.objects.filter(meeting__marac=marac)
            .exclude(kind="review")
            .values("meeting")
            .annotate(n=Count("pk"))
        )
        assert all(13 <= row["n"] <= 17 for row in per_meeting), marac.slug
        referrals = Referral.objects.filter(case__marac=marac)
        repeat_share = referrals.filter(is_repeat=True).count() / referrals.count()
        assert 0.2 <= repeat_share <= 0.45, (marac.slug, repeat_share)
        assert MaracMemberAgency.objects.filter(marac=marac).count() >= 5
    assert Case.objects.exclude(status="heard").count() == 0
    _assert_realistic_shares()
    surnames = {v.last_name for v in Victim.objects.all()[:200]}
    assert all(SYNTHETIC_SURNAME.match(name) for name in surnames)
    _assert_meetings_are_complete()
    counts = [m.objects.count() for m in DEMO_MODELS]
    call_command("seed_demo", quiet_logins=True)
    assert [m.objects.count() for m in DEMO_MODELS] == counts


def _share(queryset, **condition) -> float:
    return queryset.filter(**condition).count() / queryset.count()


def _assert_realistic_shares() -> None:
    """Children, referral routes and equality data in plausible SafeLives-like proportions."""
    cases = Case.objects.all()
    assert 0.4 <= _share(cases, children_in_household__gt=0) <= 0.8
    assert Child.objects.count() == sum(cases.values_list("children_in_household", flat=True))
    sources = ReferralSource.objects.all()
    assert 0.5 <= _share(sources, category="police") <= 0.8
    assert sources.values("category").distinct().count() >= 6
    assert Referral.objects.annotate(n=Count("sources")).filter(n__gt=1).exists()
    victims = Victim.objects.all()
    assert 0.02 <= _share(victims, gender="male") <= 0.15
    minoritised = victims.exclude(ethnicity__startswith="white").exclude(ethnicity="not_known")
    assert 0.1 <= minoritised.count() / victims.count() <= 0.6
    assert victims.values("ethnicity").distinct().count() >= 6
    assert 0.03 <= _share(victims, disability="yes") <= 0.2
    assert _share(victims, lgbt="yes") <= 0.1
    assert victims.filter(age_at_referral__in=[16, 17]).exists()
    assert victims.filter(lgbt="yes").exists()
    referrals = Referral.objects.all()
    assert 0.05 <= _share(referrals, professional_judgement=True) <= 0.4
    assert _share(referrals, consent="not_given") > 0.1


DEMO_MODELS = (Case, Meeting, AgendaItem, MaracMemberAgency, Attendance, Research, Minute)


def _assert_meetings_are_complete() -> None:
    """Each demo meeting has attendance (with apologies), research (some withheld, with a
    reason), a minute per item and approved minutes; actions come in every status and focus,
    the closed ones reviewed at the following meeting."""
    for meeting in Meeting.objects.all():
        assert meeting.minutes_approved_at is not None
        assert meeting.attendance.filter(kind="representative").exists()
        assert Minute.objects.filter(item__meeting=meeting).count() == meeting.items.count()
    assert Attendance.objects.filter(kind="apologies", information_sent=True).exists()
    withheld = Research.objects.filter(withheld=True)
    assert withheld.exists()
    assert all(r.withheld_reason for r in withheld[:20])
    statuses = set(CaseAction.objects.values_list("status", flat=True))
    assert statuses == {"open", "done", "not_possible", "not_done"}
    assert set(CaseAction.objects.values_list("focus", flat=True)) == {
        "victim",
        "children",
        "perpetrator",
        "other",
    }
    closed = CaseAction.objects.exclude(status="open")
    assert not closed.filter(review_meeting__isnull=True).exists()
    assert all(
        a.review_meeting.date > a.meeting.date
        for a in closed.select_related("meeting", "review_meeting")[:50]
    )
