"""seed_demo's action plans: an approved strategy per demo partnership, every status and flag,
a year of updates and quarterly measure values; idempotent."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions import selectors
from actions.models import ActionStatus, MeasureValue, ProgressUpdate, Strategy
from actions.quarters import Quarter
from partnership import indicators

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_each_partnership_a_live_plan_with_measures(settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    counts = (
        Strategy.objects.count(),
        ProgressUpdate.objects.count(),
        MeasureValue.objects.count(),
    )
    for slug in ("shared-services", "havering"):
        strategy = Strategy.objects.get(partnership__slug=slug, status="approved")
        assert strategy.priorities.count() >= 4
        assert strategy.actions.count() >= 30
        plan = selectors.action_plan(strategy, filters=selectors.PlanFilters())
        rows = [row for group in plan["groups"] for row in group.rows]
        assert {row.status for row in rows} == set(ActionStatus.values)
        assert any(row.stale for row in rows)
        assert {row.suggestion[0] for row in rows if row.suggestion} == {"red", "amber"}
        updates = ProgressUpdate.objects.filter(action__strategy=strategy)
        oldest = updates.order_by("update_date").first().update_date
        assert oldest <= timezone.localdate() - timedelta(days=270)
        quarters = Quarter.containing(timezone.localdate()).previous().last(4)
        boroughs = strategy.partnership.boroughs.count()
        values = MeasureValue.objects.filter(measure__partnership=strategy.partnership)
        assert values.count() == 4 * 4 * boroughs
        caseload = indicators.get("actions.measure.idva-caseload").value(
            partnership=strategy.partnership, start=quarters[0].start, end=quarters[-1].end
        )
        assert caseload > 0
    call_command("seed_demo", quiet_logins=True)
    assert (
        Strategy.objects.count(),
        ProgressUpdate.objects.count(),
        MeasureValue.objects.count(),
    ) == counts
