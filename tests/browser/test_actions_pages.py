"""Action plans in a real browser: a lead officer posts an update, a commissioner uploads a
plan, and axe finds no WCAG 2.2 AA violations on the plan, action, update and measures pages."""

from datetime import date

import pytest

from actions import services
from actions.models import ProgressUpdate, StrategyStatus
from tests.browser.conftest import axe_violations, click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_CSV = (
    "priority_code,priority_title,action_ref,action_title,sub_actions,outcomes,resources,"
    "timescale,lead_agencies,performance_measures,rag,latest_update\n"
    "C,Perpetrators,C.1,Review the synthetic perpetrator programme,,,Staff,Ongoing,"
    "Test Police BCU,,green,Started.\n"
)


@pytest.fixture
def plan(actor, partnership, board, agency, borough):
    strategy = services.strategy_create(
        acting_user=actor,
        partnership=partnership,
        slug="browser-strategy",
        title="Browser Strategy",
    )
    services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )
    priority = services.priority_create(
        acting_user=actor, strategy=strategy, code="B", title="Protection and support"
    )
    services.action_create(
        acting_user=actor,
        priority=priority,
        ref="B.2",
        title="Expand the synthetic IDVA service",
        lead_agencies=[agency],
        milestones=[services.MilestoneSpec("Recruit two synthetic IDVAs", date(2026, 1, 31))],
        timescale_kind="month",
        timescale_date=date(2027, 3, 31),
    )
    measure = services.measure_create(
        acting_user=actor,
        partnership=partnership,
        code="idva-caseload",
        name="IDVA caseload",
        unit="count",
        better="higher",
    )
    services.measure_value_set(
        acting_user=actor, measure=measure, borough=borough, quarter_end=date(2025, 6, 30), value=40
    )
    return strategy


def test_a_lead_officer_posts_an_update_that_turns_an_action_amber(
    plan, lead_officer, page, live_server, sign_in_browser
):
    sign_in_browser(page, lead_officer)
    page.goto(f"{live_server.url}/my-actions/")
    assert axe_violations(page) == []
    click_and_wait(page, page.get_by_role("link", name="B.2"))
    assert page.locator("h1").inner_text().startswith("B.2 Expand the synthetic IDVA service")
    assert axe_violations(page) == []
    click_and_wait(page, page.get_by_role("link", name="Post a progress update"))
    page.get_by_label("Amber").check()
    page.get_by_label("What progress has been made?").fill("Recruitment is slower than planned.")
    click_and_wait(page, page.get_by_role("button", name="Post update"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("What will be done to bring it back on track?").fill(
        "Readvertise with a synthetic agency."
    )
    click_and_wait(page, page.get_by_role("button", name="Post update"))
    history = page.locator(".app-history").inner_text()
    assert "Recruitment is slower than planned." in history
    assert "Readvertise with a synthetic agency." in history
    assert "Amber" in history
    assert ProgressUpdate.objects.get().status == "amber"


def test_a_commissioner_uploads_a_csv_plan_and_the_pages_pass_axe(
    plan, commissioner, page, live_server, sign_in_browser, tmp_path
):
    sign_in_browser(page, commissioner)
    page.goto(f"{live_server.url}/strategies/browser-strategy/plan/")
    assert axe_violations(page) == []
    click_and_wait(page, page.get_by_role("link", name="Upload a spreadsheet"))
    upload = tmp_path / "plan.csv"
    upload.write_text(PLAN_CSV, encoding="utf-8")
    page.get_by_label("Spreadsheet (CSV or .xlsx)").set_input_files(str(upload))
    click_and_wait(page, page.get_by_role("button", name="Upload and import"))
    assert (
        "Imported 1 actions" in page.locator(".govuk-notification-banner, main").first.inner_text()
    )
    assert page.get_by_role("link", name="C.1").is_visible()
    page.get_by_label("Search").fill("perpetrator")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**q=perpetrator**")
    assert page.get_by_role("link", name="C.1").is_visible()
    assert page.get_by_role("link", name="B.2").count() == 0
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/partnerships/{plan.partnership.slug}/measures/")
    assert "IDVA caseload" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/strategies/browser-strategy/actions/B.2/edit/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/strategies/browser-strategy/")
    assert axe_violations(page) == []
