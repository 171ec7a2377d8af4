"""The action-plan appendix comes from the actions app's selectors, as at the quarter's end."""

from datetime import UTC, date, datetime

import pytest

from actions import services as actions_services
from actions.models import Action, StrategyStatus
from reporting import services
from reporting.models import Variant
from tests.reporting.test_rendering import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(actor, partnership, board, agency):
    strategy = actions_services.strategy_create(
        acting_user=actor,
        partnership=partnership,
        slug="report-test-strategy",
        title="Synthetic VAWG Strategy",
        period_start=date(2024, 4, 1),
        period_end=date(2028, 3, 31),
        version="2.0",
    )
    strategy = actions_services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )
    priority = actions_services.priority_create(
        acting_user=actor, strategy=strategy, code="1", title="Prevention and early help"
    )

    def action(ref, title, status, when, **extra):
        created = actions_services.action_create(
            acting_user=actor,
            priority=priority,
            ref=ref,
            title=title,
            lead_agencies=[agency],
            **extra,
        )
        if status:
            actions_services.action_progress_record(
                acting_user=actor,
                action=created,
                status=status,
                update_date=when,
                narrative=f"Synthetic update on {ref}",
                next_steps="Synthetic next step",
            )
        return created

    start_of_year = datetime(2026, 4, 1, tzinfo=UTC)
    action("1.1", "Train front-line staff", "complete", date(2026, 8, 15))
    action("1.2", "Commission a perpetrator programme", "red", date(2026, 9, 1))
    action("1.3", "Refresh the schools offer", "green", date(2026, 9, 2))
    action(
        "1.4",
        "Map refuge provision",
        None,
        None,
        timescale_kind="date",
        timescale_date=date(2026, 6, 30),
    )
    # The plan was written at the start of the year: it existed at the quarter's end.
    Action.objects.filter(strategy=strategy).update(created_at=start_of_year)
    return strategy


def test_the_plan_appendix_shows_counts_exceptions_and_completions(
    draft, author, plan, private_storage
):
    run = services.report_render_now(acting_user=author, report=draft, variant=Variant.BOARD)
    text = " ".join(" ".join(pdf_pages(run)).split())
    assert "Appendix A: Action plan progress" in text
    assert "Synthetic VAWG Strategy (version 2.0): 4 actions" in text
    assert "1.2 Commission a perpetrator programme" in text
    assert "Synthetic update on 1.2" in text  # exceptions carry their latest update
    assert "overdue (timescale 2026-06-30)" in text
    assert "Completed this quarter" in text
    assert "1.1 Train front-line staff" in text
    assert "Direction of travel since last quarter: improving" in text


def test_the_public_plan_appendix_leaves_out_update_text(draft, author, plan, private_storage):
    run = services.report_render_now(acting_user=author, report=draft, variant=Variant.PUBLIC)
    text = " ".join(" ".join(pdf_pages(run)).split())
    assert "1.2 Commission a perpetrator programme" in text
    assert "Synthetic update on 1.2" not in text
    # Counts of actions describe no one: published as they are, like the appendix's counts.
    assert "Actions off track (red) Test Shared Partnership: 1" in text
