"""The action-plan pages over HTTP: who gets what, forms, uploads, downloads and query counts."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import Action, ProgressUpdate
from conftest import ALL_ROLES
from partnership.models import Role

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"actions:{name}", args=args)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_member_reads_the_pages_and_an_outsider_gets_404(
    role, request, sign_in, strategy, police_action, outsider, partnership
):
    member = request.getfixturevalue(role)
    pages = [
        _url("strategies", partnership.slug),
        _url("strategy", strategy.slug),
        _url("plan", strategy.slug),
        _url("action", strategy.slug, "A.1"),
        _url("measures", partnership.slug),
        _url("plan_export", strategy.slug) + "?format=xlsx",
    ]
    member_client, outsider_client = sign_in(Client(), member), sign_in(Client(), outsider)
    for url in pages:
        assert member_client.get(url).status_code == 200, url
        assert outsider_client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_posting_progress_over_http_by_role(
    role, request, sign_in, strategy, police_action, housing_action
):
    """Commissioners and the leading agency's lead officer post on A.1; others get 403."""
    member = request.getfixturevalue(role)
    client = sign_in(Client(), member)
    allowed = role in (Role.COMMISSIONER, Role.LEAD_OFFICER)
    data = {"status": "green", "narrative": "Synthetic progress."}
    response = client.post(_url("action_progress", strategy.slug, "A.1"), data)
    assert response.status_code == (302 if allowed else 403)
    assert ProgressUpdate.objects.filter(action=police_action).exists() == allowed
    a2 = client.post(_url("action_progress", strategy.slug, "A.2"), data)
    assert a2.status_code == (302 if role == Role.COMMISSIONER else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_structure_pages_are_for_commissioners_only(
    role, request, sign_in, strategy, police_action
):
    client = sign_in(Client(), request.getfixturevalue(role))
    expected = 200 if role == Role.COMMISSIONER else 403
    for url in (
        _url("action_edit", strategy.slug, "A.1"),
        _url("action_new", strategy.slug),
        _url("strategy_edit", strategy.slug),
        _url("plan_import", strategy.slug),
        _url("priority_new", strategy.slug),
    ):
        assert client.get(url).status_code == expected, url


def test_anonymous_people_are_sent_to_sign_in(client, strategy):
    response = client.get(_url("plan", strategy.slug))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_update_turning_amber_without_next_steps_is_refused_on_the_form(
    sign_in, lead_officer, strategy, police_action, agency
):
    client = sign_in(Client(), lead_officer)
    url = _url("action_progress", strategy.slug, "A.1")
    response = client.post(url, {"status": "amber", "narrative": "Slipping."})
    assert response.status_code == 200
    assert "Say what will be done to bring the action back on track" in response.content.decode()
    milestone = police_action.milestones.get()
    response = client.post(
        url,
        {
            "status": "amber",
            "narrative": "Slipping.",
            "next_steps": "Weekly synthetic check-ins.",
            "milestones_done": [milestone.pk],
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.author, update.agency, update.status) == (lead_officer, agency, "amber")
    page = client.get(_url("action", strategy.slug, "A.1")).content.decode()
    assert "Weekly synthetic check-ins." in page


def test_a_stale_edit_shows_what_changed_and_keeps_the_persons_text(
    sign_in, commissioner, strategy, police_action, agency, borough
):
    client = sign_in(Client(), commissioner)
    url = _url("action_edit", strategy.slug, "A.1")
    form = {
        "priority": police_action.priority_id,
        "ref": "A.1",
        "title": "My edited title",
        "timescale_kind": "ongoing",
        "primary_lead": agency.pk,
        "boroughs": [borough.pk],
        "lock_version": police_action.lock_version,
    }
    services.action_update(
        acting_user=commissioner,
        action=police_action,
        expected_version=police_action.lock_version,
        outcomes="Someone else's outcomes",
    )
    response = client.post(url, form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this action while you were editing it" in page
    assert "Someone else&#x27;s outcomes" in page or "Someone else's outcomes" in page
    assert "My edited title" in page  # nothing the person typed is lost
    police_action.refresh_from_db()
    assert police_action.title == "Run a synthetic awareness campaign"
    # Having read what changed, the person keeps the other edit and saves again.
    form.update(lock_version=police_action.lock_version, outcomes="Someone else's outcomes")
    assert client.post(url, form).status_code == 302
    police_action.refresh_from_db()
    assert police_action.title == "My edited title"
    assert police_action.outcomes == "Someone else's outcomes"


def test_a_commissioner_uploads_a_plan_and_sees_every_bad_line(
    sign_in, commissioner, strategy, agency
):
    client = sign_in(Client(), commissioner)
    header = (
        "priority_code,priority_title,action_ref,action_title,sub_actions,outcomes,resources,"
        "timescale,lead_agencies,performance_measures,rag,latest_update\n"
    )
    bad = io.BytesIO((header + "A,P,A.1,T,,,,soon,,,,\nA,P,A.2,T,,,,Ongoing,,,pink,\n").encode())
    bad.name = "plan.csv"
    response = client.post(_url("plan_import", strategy.slug), {"file": bad})
    page = response.content.decode()
    assert "line 2, column timescale" in page
    assert "line 3, column rag" in page
    assert not Action.objects.exists()
    good = io.BytesIO((header + "A,P,A.1,T,,,,Ongoing,Test Police BCU,,green,Fine\n").encode())
    good.name = "plan.csv"
    response = client.post(_url("plan_import", strategy.slug), {"file": good})
    assert response.status_code == 302
    assert Action.objects.get().status == "green"


def test_the_plan_filters(
    sign_in, commissioner, strategy, police_action, housing_action, other_agency
):
    client = sign_in(Client(), commissioner)

    def refs(query):
        response = client.get(_url("plan", strategy.slug) + query)
        return [r.action.ref for g in response.context["groups"] for r in g.rows]

    assert refs("") == ["A.1", "A.2"]
    assert refs("?agency=" + other_agency.slug) == ["A.1", "A.2"]
    assert refs("?agency=test-police-bcu") == ["A.1"]
    assert refs("?q=housing") == ["A.2"]
    assert refs("?status=green") == []
    assert refs("?borough=westminster&no_update=on") == ["A.1", "A.2"]
    htmx = client.get(_url("plan", strategy.slug) + "?q=housing", headers={"HX-Request": "true"})
    assert b"<html" not in htmx.content
    assert b"A.2" in htmx.content


def _make_actions(actor, priority, agency, count, start):
    """Bulk-made actions, each with a lead, a borough, a milestone and a progress update."""
    from django.utils import timezone

    from actions.models import ActionLead, Milestone

    strategy = priority.strategy
    actions = Action.objects.bulk_create(
        Action(
            strategy=strategy,
            priority=priority,
            ref=f"A.{number}",
            title=f"Synthetic action {number}",
            position=number,
            status="green",
            last_update_at=timezone.localdate(),
            created_by=actor,
            updated_by=actor,
            created_at=timezone.now() - timedelta(days=800),
        )
        for number in range(start, start + count)
    )
    ActionLead.objects.bulk_create(
        ActionLead(action=a, agency=agency, is_primary=True) for a in actions
    )
    Milestone.objects.bulk_create(Milestone(action=a, title=f"Step {a.ref}") for a in actions)
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=a, author=actor, status="green", previous_status="not_started", narrative="Fine."
        )
        for a in actions
    )
    boroughs = list(strategy.partnership.boroughs.all())
    Action.boroughs.through.objects.bulk_create(
        Action.boroughs.through(action=a, borough=b) for a in actions for b in boroughs
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("page", ["plan", "plan_quarter", "my_actions"])
def test_list_pages_use_the_same_queries_for_10_and_300_actions(
    page, sign_in, lead_officer, actor, strategy, priority, agency
):
    client = sign_in(Client(), lead_officer)
    url = {
        "plan": _url("plan", strategy.slug),
        "plan_quarter": _url("plan", strategy.slug) + "?quarter=2025-Q1&q=Synthetic",
        "my_actions": _url("my_actions"),
    }[page]
    _make_actions(actor, priority, agency, 10, 1)
    small = _queries(client, url)
    _make_actions(actor, priority, agency, 290, 11)
    context = client.get(url).context
    shown = context["total"] if "total" in context else len(context["rows"])
    assert shown == 300
    assert _queries(client, url) == small


def test_measures_pages_and_value_entry(
    sign_in, commissioner, board_member, partnership, actor, borough
):
    measure = services.measure_create(
        acting_user=actor,
        partnership=partnership,
        code="idva-caseload",
        name="IDVA caseload",
        unit="count",
        better="higher",
    )
    url = _url("measure", partnership.slug, measure.code)
    viewer = sign_in(Client(), board_member)
    assert viewer.get(url).status_code == 200
    assert (
        viewer.post(url, {"borough": borough.pk, "quarter": "2025-Q1", "value": "5"}).status_code
        == 403
    )
    client = sign_in(Client(), commissioner)
    response = client.post(url, {"borough": borough.pk, "quarter": "2025-Q1", "value": "57"})
    assert response.status_code == 302
    assert measure.values.get().value == 57
    csv_file = io.BytesIO(
        b"measure,borough,quarter_end,value\nidva-caseload,westminster,2025-06-30,61\n"
    )
    csv_file.name = "values.csv"
    assert (
        client.post(_url("measure_upload", partnership.slug), {"file": csv_file}).status_code == 302
    )
    assert measure.values.count() == 2


def test_an_action_linked_to_a_measure_shows_its_live_value(
    sign_in,
    commissioner,
    board_member,
    actor,
    strategy,
    police_action,
    agency,
    borough,
    other_partnership,
):
    """The commissioner links the action to one of the partnership's measures; its value over
    the last twelve months shows on the action page. Another partnership's measure of the same
    code is neither offered nor shown."""
    from django.utils import timezone

    from actions.quarters import Quarter

    services.measure_create(
        acting_user=actor,
        partnership=other_partnership,
        code="idva-caseload",
        name="Other partnership's synthetic caseload",
        unit="count",
        better="higher",
    )
    measure = services.measure_create(
        acting_user=actor,
        partnership=strategy.partnership,
        code="idva-caseload",
        name="IDVA caseload",
        unit="count",
        better="higher",
    )
    last_quarter = Quarter.containing(timezone.localdate()).previous()
    services.measure_value_set(
        acting_user=actor, measure=measure, borough=borough, quarter_end=last_quarter.end, value=57
    )
    client = sign_in(Client(), commissioner)
    edit_url = _url("action_edit", strategy.slug, "A.1")
    form_page = client.get(edit_url).content.decode()
    assert "IDVA caseload" in form_page
    assert "Other partnership" not in form_page
    response = client.post(
        edit_url,
        {
            "priority": police_action.priority_id,
            "ref": "A.1",
            "title": police_action.title,
            "timescale_kind": "ongoing",
            "primary_lead": agency.pk,
            "boroughs": [borough.pk],
            "indicator_name": "actions.measure.idva-caseload",
            "lock_version": police_action.lock_version,
        },
    )
    assert response.status_code == 302
    page = sign_in(Client(), board_member).get(_url("action", strategy.slug, "A.1"))
    html = page.content.decode()
    assert "IDVA caseload, last 12 months: <strong>57</strong>" in html
    assert "Other partnership" not in html
