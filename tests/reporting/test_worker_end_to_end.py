"""A board report made end to end by a real Celery worker on the real Redis broker (no eager
mode): every section, the marking and "Page n of N" on every page, MARAC figures equal to
`marac_indicators` for the period, one run for two requests, figures frozen on approval, and
small counts and their percentages suppressed in the public variant."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from actions import services as actions_services
from actions.models import Action, StrategyStatus
from reporting import services
from reporting.models import ReportRun, RunStatus, Variant
from reporting.periods import Quarter
from tests.marac.test_indicators import END, START
from tests.reporting.test_rendering import pdf_pages, wait_for, write_narrative

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def q1_report(board, author, actor):
    """The report for April to June 2026, the period of the MARAC cohort."""
    return services.report_open(
        acting_user=actor, board=board, period=Quarter(2026, 1), author=author
    )


@pytest.fixture
def plan_and_measure(actor, partnership, board, agency, borough):
    strategy = actions_services.strategy_create(
        acting_user=actor, partnership=partnership, slug="worker-plan", title="Worker Plan"
    )
    actions_services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )
    priority = actions_services.priority_create(
        acting_user=actor, strategy=strategy, code="1", title="Synthetic prevention"
    )
    action = actions_services.action_create(
        acting_user=actor,
        priority=priority,
        ref="1.1",
        title="Commission a synthetic programme",
        lead_agencies=[agency],
    )
    actions_services.action_progress_record(
        acting_user=actor,
        action=action,
        status="red",
        narrative="Synthetic delay.",
        next_steps="Synthetic recovery.",
        update_date=date(2026, 5, 1),
    )
    Action.objects.filter(pk=action.pk).update(created_at=datetime(2026, 4, 1, tzinfo=UTC))
    measure = actions_services.measure_create(
        acting_user=actor,
        partnership=partnership,
        code="idva-caseload",
        name="Synthetic IDVA caseload",
        unit="count",
        better="higher",
    )
    actions_services.measure_value_set(
        acting_user=actor, measure=measure, borough=borough, quarter_end=date(2026, 6, 30), value=64
    )


def _text(run: ReportRun) -> str:
    return " ".join(" ".join(pdf_pages(run)).split())


def _marac_indicators(slug: str) -> dict:
    out = StringIO()
    call_command(
        "marac_indicators", "--marac", slug, "--from", START, "--to", END, "--json", stdout=out
    )
    return json.loads(out.getvalue())


def _assert_marked_and_numbered(run: ReportRun, marking: str) -> None:
    pages = pdf_pages(run)
    assert run.pages == len(pages)
    for number, page in enumerate(pages, start=1):
        assert marking in page
        assert f"Page {number} of {len(pages)}" in page


def test_the_worker_makes_the_whole_report(
    cohort, q1_report, author, dial, plan_and_measure, private_storage, celery_worker_thread
):
    write_narrative(q1_report, author, brief_update="A synthetic brief update.")
    first = services.report_render_request(acting_user=author, report=q1_report)
    second = services.report_render_request(acting_user=author, report=q1_report)
    assert second.pk == first.pk  # a second request reuses the first run
    run = wait_for(first)
    assert run.status == RunStatus.READY, run.error
    text = _text(run)
    for section in (
        "1. Brief update",
        "A synthetic brief update.",
        "2. Key challenges",
        "3. Support required from the board",
        "4. Appendices",
        "Action plan progress",
        "1.1 Commission a synthetic programme",
        "Performance measures",
        "Synthetic IDVA caseload Test Shared Partnership: 64",
        "MARAC performance",
        "Directory of services",
        "Board attendance by agency",
    ):
        assert section in text, section
    _assert_marked_and_numbered(run, "OFFICIAL-SENSITIVE")
    figures = _marac_indicators(cohort.slug)
    assert f"MARAC cases discussed Test Shared Partnership: {figures['cases_discussed']}" in text
    assert f"MARAC repeat rate (%) Test Shared Partnership: {figures['repeat_rate']:.1f}%" in text
    rate = f"{figures['cases_per_10k_women']:.1f}"
    assert f"Test Shared Partnership: {rate}; recommended 40.0; national 47.0" in text
    assert ReportRun.objects.filter(report=q1_report).count() == 1
    assert sorted(p.name for p in (private_storage / "reports").iterdir()) == [run.file_name]

    dial.cases = 37
    approved = services.report_approve(acting_user=author, report=q1_report)
    dial.cases = 99  # live data moves on after approval
    frozen = wait_for(services.report_render_request(acting_user=author, report=approved))
    assert frozen.status == RunStatus.READY, frozen.error
    assert "Cases discussed (test) Test Shared Partnership: 37" in _text(frozen)

    public = wait_for(
        services.report_render_request(acting_user=author, report=approved, variant=Variant.PUBLIC)
    )
    assert public.status == RunStatus.READY, public.error
    public_text = _text(public)
    _assert_marked_and_numbered(public, "OFFICIAL")
    assert "OFFICIAL-SENSITIVE" not in public_text
    assert "MARAC repeat cases Test Shared Partnership: fewer than 5" in public_text
    assert "MARAC repeat rate (%) Test Shared Partnership: fewer than 5" in public_text
    again = services.report_render_request(
        acting_user=author, report=approved, variant=Variant.PUBLIC
    )
    assert again.pk == public.pk  # the approved snapshot renders once
