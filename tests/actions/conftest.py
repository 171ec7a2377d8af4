"""Action-plan fixtures: a strategy of the test partnership with two priorities and actions."""

from datetime import date

import pytest

from actions import services
from actions.models import StrategyStatus
from tests.factories import AgencyFactory


@pytest.fixture
def other_agency(borough):
    return AgencyFactory(name="Test Housing Options", category="housing", boroughs=[borough])


@pytest.fixture
def strategy(actor, partnership, board):
    strategy = services.strategy_create(
        acting_user=actor,
        partnership=partnership,
        slug="test-vawg-strategy",
        title="Test VAWG Strategy",
        period_start=date(2024, 4, 1),
        period_end=date(2027, 3, 31),
        version="1.0",
    )
    return services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )


@pytest.fixture
def priority(actor, strategy):
    return services.priority_create(
        acting_user=actor, strategy=strategy, code="A", title="Prevention and early help"
    )


@pytest.fixture
def police_action(actor, priority, agency, other_agency):
    """An action led by the fixture agency (the role fixtures' agency), housing supporting."""
    return services.action_create(
        acting_user=actor,
        priority=priority,
        ref="A.1",
        title="Run a synthetic awareness campaign",
        lead_agencies=[agency, other_agency],
        milestones=[services.MilestoneSpec("Draft the campaign", date(2024, 6, 30))],
        timescale_kind="date",
        timescale_date=date(2030, 3, 31),
    )


@pytest.fixture
def housing_action(actor, priority, other_agency):
    """An action led only by another agency."""
    return services.action_create(
        acting_user=actor,
        priority=priority,
        ref="A.2",
        title="Review synthetic housing pathways",
        lead_agencies=[other_agency],
    )
