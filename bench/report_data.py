"""Synthetic data for the report benchmark: a three-borough partnership with N actions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from actions import services as actions_services
from actions.models import Action, StrategyStatus
from partnership.models import Borough, Partnership, Role
from partnership.services import (
    agency_create,
    board_create,
    membership_grant,
    partnership_create,
    system_actor,
)
from reporting.models import BoardReport
from reporting.periods import Quarter
from reporting.services import report_narrative_update, report_open

PERIOD = Quarter(2026, 2)
STATUSES = ["green", "amber", "red", "complete", "green", None]


def bench_report(size: int) -> BoardReport:
    """The report of a partnership whose approved plan has `size` actions (made once)."""
    slug = f"bench-{size}"
    partnership = Partnership.objects.filter(slug=slug).first() or _seed(slug, size)
    board = partnership.boards.get()
    return BoardReport.objects.get(board=board, year=PERIOD.year, quarter=PERIOD.number)


def _seed(slug: str, size: int) -> Partnership:
    actor = system_actor()
    boroughs = Borough.objects.filter(slug__in=["camden", "islington", "hackney"])
    partnership = partnership_create(
        acting_user=actor, name=f"Bench partnership {size}", slug=slug, boroughs=boroughs
    )
    board = board_create(
        acting_user=actor, partnership=partnership, name=f"Bench board {size}", slug=f"{slug}-board"
    )
    agencies = [
        agency_create(
            acting_user=actor,
            name=f"Bench agency {size}-{i}",
            slug=f"{slug}-agency-{i}",
            category="other",
            boroughs=boroughs,
        )
        for i in range(10)
    ]
    author = actor.__class__.objects.create_user(
        f"author@{slug}.bench.invalid", None, full_name="Bench author"
    )
    membership_grant(
        acting_user=actor,
        user=author,
        agency=agencies[0],
        role=Role.COMMISSIONER,
        partnership=partnership,
    )
    strategy = actions_services.strategy_create(
        acting_user=actor,
        partnership=partnership,
        slug=f"{slug}-strategy",
        title="Bench strategy",
        period_start=date(2025, 4, 1),
        period_end=date(2028, 3, 31),
        version="1.0",
    )
    actions_services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )
    priorities = [
        actions_services.priority_create(
            acting_user=actor, strategy=strategy, code=str(p), title=f"Synthetic priority {p}"
        )
        for p in range(1, 8)
    ]
    words = "synthetic progress narrative written for the benchmark with a realistic length " * 4
    for n in range(size):
        priority = priorities[n % len(priorities)]
        action = actions_services.action_create(
            acting_user=actor,
            priority=priority,
            ref=f"{priority.code}.{n // 7 + 1}",
            title=f"Synthetic action {n} to improve the response to abuse",
            lead_agencies=[agencies[n % 10]],
            timescale_kind="date",
            timescale_date=date(2026, 6, 30) if n % 9 == 0 else date(2027, 3, 31),
        )
        status = STATUSES[n % len(STATUSES)]
        if status:
            actions_services.action_progress_record(
                acting_user=actor,
                action=action,
                status=status,
                narrative=words.strip(),
                next_steps="Synthetic next step.",
                update_date=date(2026, 8, 1 + n % 28),
            )
    Action.objects.filter(strategy=strategy).update(created_at=datetime(2026, 4, 1, tzinfo=UTC))
    report = report_open(acting_user=actor, board=board, period=PERIOD, author=author)
    report_narrative_update(
        acting_user=actor,
        report=report,
        title=report.title,
        contact="bench@example.invalid",
        brief_update=words * 3,
        key_challenges=words * 2,
        support_required=words,
    )
    return partnership
