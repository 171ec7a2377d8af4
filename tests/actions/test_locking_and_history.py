"""Optimistic locking on actions, the action's history and the plan as at a past quarter."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from actions import selectors, services
from actions.models import Action, ProgressUpdate
from actions.quarters import Quarter
from actions.selectors import PlanFilters

pytestmark = pytest.mark.django_db


def test_the_second_of_two_concurrent_edits_is_refused_with_what_changed(
    commissioner, police_action
):
    """Both opened version 1; the first save wins, the second is told who changed what."""
    seen_version = police_action.lock_version
    services.action_update(
        acting_user=commissioner,
        action=police_action,
        expected_version=seen_version,
        title="First person's title",
    )
    with pytest.raises(services.StaleEdit) as refused:
        services.action_update(
            acting_user=commissioner,
            action=police_action,
            expected_version=seen_version,
            title="Second person's title",
            outcomes="Second person's outcomes",
        )
    assert refused.value.changes == [
        {
            "field": "Title",
            "value": "First person's title",
            "by": str(commissioner),
            "at": refused.value.changes[0]["at"],
        }
    ]
    police_action.refresh_from_db()
    assert police_action.title == "First person's title"
    assert police_action.outcomes == ""
    assert police_action.lock_version == seen_version + 1


def _backdated_update(action, author, status, when):
    """Progress updates are append-only; a dated one is written as it would have been then."""
    services.action_progress_record(
        acting_user=author,
        action=action,
        status=status,
        narrative=f"Synthetic update of {when}",
        next_steps="Synthetic recovery plan",
        update_date=when,
    )


def test_the_plan_as_it_stood_at_the_end_of_a_past_quarter(
    commissioner, police_action, housing_action
):
    this_quarter = Quarter.containing(timezone.localdate())
    last, before = this_quarter.previous(), this_quarter.previous().previous()
    Action.objects.update(created_at=timezone.now() - timedelta(days=400))
    _backdated_update(police_action, commissioner, "amber", before.end - timedelta(days=3))
    _backdated_update(police_action, commissioner, "green", last.end - timedelta(days=3))
    _backdated_update(police_action, commissioner, "complete", timezone.localdate())

    def statuses(quarter):
        plan = selectors.action_plan(police_action.strategy, filters=PlanFilters(), quarter=quarter)
        return {row.action.ref: row.status for group in plan["groups"] for row in group.rows}

    assert statuses(before) == {"A.1": "amber", "A.2": "not_started"}
    assert statuses(last) == {"A.1": "green", "A.2": "not_started"}
    assert statuses(None) == {"A.1": "complete", "A.2": "not_started"}


def test_actions_made_after_a_quarter_are_not_in_its_plan(police_action):
    quarter = Quarter.containing(timezone.localdate()).previous()
    plan = selectors.action_plan(police_action.strategy, filters=PlanFilters(), quarter=quarter)
    assert plan["total"] == 0


def test_the_action_history_lists_every_update_newest_first(commissioner, police_action):
    for days, status in ((20, "green"), (10, "amber"), (0, "green")):
        _backdated_update(
            police_action, commissioner, status, timezone.localdate() - timedelta(days=days)
        )
    history = selectors.action_detail(police_action)["updates"]
    assert [u.status for u in history] == ["green", "amber", "green"]
    assert [u.previous_status for u in history] == ["amber", "green", "not_started"]
    assert ProgressUpdate.objects.count() == 3


def test_suggestions_and_flags(commissioner, police_action, housing_action):
    """Past its timescale → red; a milestone behind → amber; no update this quarter → flagged."""
    today = timezone.localdate()
    plan = selectors.action_plan(police_action.strategy, filters=PlanFilters())
    rows = {row.action.ref: row for group in plan["groups"] for row in group.rows}
    assert rows["A.1"].suggestion == ("amber", "a milestone is behind")
    assert rows["A.1"].stale
    assert rows["A.2"].stale
    services.action_update(
        acting_user=commissioner,
        action=police_action,
        expected_version=police_action.lock_version,
        timescale_kind="date",
        timescale_date=date(2020, 1, 31),
    )
    services.action_progress_record(
        acting_user=commissioner,
        action=police_action,
        status="green",
        narrative="Fine.",
        update_date=today,
    )
    plan = selectors.action_plan(police_action.strategy, filters=PlanFilters())
    rows = {row.action.ref: row for group in plan["groups"] for row in group.rows}
    assert rows["A.1"].suggestion == ("red", "past its timescale and not complete")
    assert not rows["A.1"].stale
    overdue = selectors.action_plan(police_action.strategy, filters=PlanFilters(overdue=True))
    assert overdue["total"] == 1
    no_update = selectors.action_plan(police_action.strategy, filters=PlanFilters(no_update=True))
    assert [r.action.ref for g in no_update["groups"] for r in g.rows] == ["A.2"]
