"""Synthetic data for the action-plan benchmark: a plan of 300 actions and a signed-in,
second-factor-verified session of the lead officer whose agency leads them.

Run inside Django (`python bench/actions_data.py` with the server's environment); prints the
session cookie as `NAME=VALUE` on its last line. The plan is made once; the session is new on
every run.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

SIZE = 300
SLUG = "bench-plan"
STRATEGY_SLUG = f"{SLUG}-strategy"
OFFICER_EMAIL = f"lead-officer@{SLUG}.bench.invalid"


def seed() -> None:
    from actions import services
    from actions.models import Strategy, StrategyStatus
    from partnership.models import Borough, Role, User
    from partnership.services import (
        agency_create,
        board_create,
        membership_grant,
        partnership_create,
        system_actor,
    )

    if Strategy.objects.filter(slug=STRATEGY_SLUG).exists():
        return
    actor = system_actor()
    boroughs = Borough.objects.filter(slug__in=["camden", "islington", "hackney"])
    partnership = partnership_create(
        acting_user=actor, name="Bench action-plan partnership", slug=SLUG, boroughs=boroughs
    )
    board = board_create(
        acting_user=actor, partnership=partnership, name="Bench plan board", slug=f"{SLUG}-board"
    )
    agencies = [
        agency_create(
            acting_user=actor,
            name=f"Bench plan agency {i}",
            slug=f"{SLUG}-agency-{i}",
            category="other",
            boroughs=boroughs,
        )
        for i in range(6)
    ]
    officer = User.objects.create_user(OFFICER_EMAIL, None, full_name="Bench lead officer")
    membership_grant(
        acting_user=actor,
        user=officer,
        agency=agencies[0],
        role=Role.LEAD_OFFICER,
        partnership=partnership,
    )
    strategy = services.strategy_create(
        acting_user=actor,
        partnership=partnership,
        slug=STRATEGY_SLUG,
        title="Bench strategy",
        period_start=date(2025, 4, 1),
        period_end=date(2028, 3, 31),
    )
    services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )
    priorities = [
        services.priority_create(
            acting_user=actor, strategy=strategy, code=str(p), title=f"Synthetic priority {p}"
        )
        for p in range(1, 8)
    ]
    statuses = ["green", "amber", "red", "complete", "green", "not_started"]
    for number in range(SIZE):
        priority = priorities[number % len(priorities)]
        action = services.action_create(
            acting_user=actor,
            priority=priority,
            ref=f"{priority.code}.{number // len(priorities) + 1}",
            title=f"Synthetic benchmark action {number} with a title of a realistic length",
            lead_agencies=[agencies[0], agencies[1 + number % 5]],
            milestones=[services.MilestoneSpec(f"Synthetic milestone {number}", date(2026, 6, 30))],
            timescale_kind="date",
            timescale_date=date(2027, 3, 31),
            outcomes="Synthetic outcomes for the benchmark.",
        )
        status = statuses[number % len(statuses)]
        if status != "not_started":
            services.action_progress_record(
                acting_user=actor,
                action=action,
                status=status,
                narrative="Synthetic progress narrative for the benchmark.",
                next_steps="Synthetic next steps.",
            )


def session_cookie() -> str:
    """A new session of the bench lead officer that has passed the second factor."""
    from bench.sessions import verified_session_cookie
    from partnership.models import User

    return verified_session_cookie(User.objects.get(email=OFFICER_EMAIL))


if __name__ == "__main__":
    import django

    django.setup()
    seed()
    print(session_cookie())
