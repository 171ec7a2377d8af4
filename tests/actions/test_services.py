"""The action-plan services: versions, approval, actions, progress and the audit trail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from actions import services
from actions.models import Action, ActionStatus, ProgressUpdate, Strategy, StrategyStatus
from partnership.models import ChangeRecord

pytestmark = pytest.mark.django_db


def test_a_new_action_applies_to_every_borough_and_names_its_primary_lead(police_action, agency):
    """Boroughs default to the partnership's; the first lead agency is the primary one."""
    partnership = police_action.strategy.partnership
    assert set(police_action.boroughs.all()) == set(partnership.boroughs.all())
    leads = list(police_action.leads.order_by("position"))
    assert [lead.is_primary for lead in leads] == [True, False]
    assert leads[0].agency == agency


def test_only_one_approved_strategy_per_partnership(actor, strategy, board):
    """Approving a new version archives the approved one; the database holds the rule too."""
    draft = services.strategy_new_version(
        acting_user=actor, source=strategy, slug="test-vawg-strategy-v2", version="2.0"
    )
    services.strategy_set_status(
        acting_user=actor, strategy=draft, status=StrategyStatus.APPROVED, approved_by=board
    )
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ARCHIVED
    with pytest.raises(DatabaseError), transaction.atomic():
        Strategy.objects.filter(pk=strategy.pk).update(status=StrategyStatus.APPROVED)


def test_a_new_version_copies_priorities_actions_leads_and_milestones(
    actor, strategy, police_action
):
    copy = services.strategy_new_version(
        acting_user=actor, source=strategy, slug="test-vawg-strategy-v2", version="2.0"
    )
    assert copy.status == StrategyStatus.DRAFT
    assert copy.supersedes == strategy
    copied = Action.objects.get(strategy=copy, ref="A.1")
    assert copied.pk != police_action.pk
    assert copied.priority.strategy == copy
    assert [lead.agency for lead in copied.leads.all()] == [
        lead.agency for lead in police_action.leads.all()
    ]
    assert [m.title for m in copied.milestones.all()] == ["Draft the campaign"]
    assert set(copied.boroughs.all()) == set(police_action.boroughs.all())


def test_a_strategy_cannot_skip_back_from_archived(actor, strategy):
    services.strategy_set_status(acting_user=actor, strategy=strategy, status="archived")
    with pytest.raises(ValidationError):
        services.strategy_set_status(acting_user=actor, strategy=strategy, status="draft")


def test_approval_needs_a_board_of_the_same_partnership(actor, partnership):
    draft = services.strategy_create(
        acting_user=actor, partnership=partnership, slug="draft-one", title="Draft"
    )
    with pytest.raises(ValidationError) as problem:
        services.strategy_set_status(acting_user=actor, strategy=draft, status="approved")
    assert "approved_by" in problem.value.message_dict


@pytest.mark.parametrize("status", [ActionStatus.RED, ActionStatus.AMBER])
def test_turning_red_or_amber_needs_what_will_be_done(commissioner, police_action, status):
    with pytest.raises(ValidationError) as problem:
        services.action_progress_record(
            acting_user=commissioner, action=police_action, status=status, narrative="Slipping."
        )
    assert "next_steps" in problem.value.message_dict
    update = services.action_progress_record(
        acting_user=commissioner,
        action=police_action,
        status=status,
        narrative="Slipping.",
        next_steps="Extra synthetic staff from May.",
    )
    police_action.refresh_from_db()
    assert police_action.status == status
    assert police_action.last_update_at == update.update_date
    assert update.previous_status == ActionStatus.NOT_STARTED


def test_progress_needs_a_narrative_and_no_future_date(commissioner, police_action):
    with pytest.raises(ValidationError) as problem:
        services.action_progress_record(
            acting_user=commissioner,
            action=police_action,
            status="green",
            narrative=" ",
            update_date=timezone.localdate() + timedelta(days=1),
        )
    assert set(problem.value.message_dict) == {"narrative", "update_date"}
    assert not ProgressUpdate.objects.exists()


def test_progress_updates_are_append_only_in_the_database(commissioner, police_action):
    update = services.action_progress_record(
        acting_user=commissioner, action=police_action, status="green", narrative="On track."
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=update.pk).update(narrative="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=update.pk).delete()


def test_a_progress_update_ticks_milestones_and_is_audited(lead_officer, agency, police_action):
    milestone = police_action.milestones.get()
    services.action_progress_record(
        acting_user=lead_officer,
        agency=agency,
        action=police_action,
        status="green",
        narrative="Campaign drafted.",
        milestones_done=[milestone],
    )
    milestone.refresh_from_db()
    assert milestone.done
    assert milestone.done_on == timezone.localdate()
    change = ChangeRecord.objects.filter(action="action_progress").get()
    assert change.actor == lead_officer
    assert change.detail["to"] == "green"
    assert change.detail["milestones_done"] == [milestone.pk]


def test_structure_changes_record_who_when_and_what(commissioner, police_action):
    services.action_update(
        acting_user=commissioner,
        action=police_action,
        expected_version=police_action.lock_version,
        title="Run a bigger synthetic campaign",
        timescale_kind="month",
        timescale_date=date(2030, 6, 30),
    )
    change = ChangeRecord.objects.filter(action="action_update").get()
    assert change.actor == commissioner
    assert change.detail["changed"]["title"] == {
        "from": "Run a synthetic awareness campaign",
        "to": "Run a bigger synthetic campaign",
    }
    assert set(change.detail["changed"]) == {"title", "timescale_kind", "timescale_date"}


def test_an_ongoing_action_has_no_date_and_a_dated_one_needs_one(actor, priority):
    with pytest.raises(ValidationError):
        services.action_create(
            acting_user=actor, priority=priority, ref="A.9", title="X", timescale_kind="date"
        )
    action = services.action_create(
        acting_user=actor,
        priority=priority,
        ref="A.9",
        title="X",
        timescale_kind="ongoing",
        timescale_date=date(2030, 1, 1),
    )
    assert action.timescale_date is None


def test_a_month_timescale_means_its_last_day(actor, commissioner, priority):
    action = services.action_create(
        acting_user=actor,
        priority=priority,
        ref="A.8",
        title="Synthetic month action",
        timescale_kind="month",
        timescale_date=date(2030, 2, 3),
    )
    assert action.timescale_date == date(2030, 2, 28)
    action = services.action_update(
        acting_user=commissioner,
        action=action,
        expected_version=action.lock_version,
        timescale_date=date(2030, 6, 15),
    )
    assert (action.timescale_kind, action.timescale_date) == ("month", date(2030, 6, 30))
