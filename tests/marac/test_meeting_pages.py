"""The meeting pages over HTTP: who may use each page and endpoint (allowed and denied in the
same test, out of scope answering 404 like missing), what each shows, drafts without the
script, and query counts that stay flat as the data grows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marac.models import AccessEvent, CaseAction, CaseActionStatus, MinuteDraft, Research
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    case_action_create,
    meeting_create,
    minute_save,
    minutes_approve,
    research_save,
)
from partnership.models import Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
MISSING = 987654321


@pytest.fixture
def world(actor, marac, make_case, make_member, agency, other_agency, member_agency):
    """A meeting four weeks ago (approved, with an open action for each agency) and today's
    meeting (two items circulated, police and housing research on the first)."""
    coordinator = make_member(Role.MARAC_COORDINATOR)
    chair = make_member(Role.MARAC_CHAIR)
    police = make_member(Role.MARAC_REPRESENTATIVE)
    housing = make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency)
    past = meeting_create(acting_user=actor, marac=marac, date=TODAY() - timedelta(days=28))
    old_case = make_case(referral_date=TODAY() - timedelta(days=50))
    old_item = agenda_item_add(acting_user=actor, meeting=past, case=old_case)
    agenda_circulate(acting_user=actor, meeting=past)
    actions = {
        name: case_action_create(
            acting_user=coordinator,
            case=old_case,
            owner_agency=owner,
            text=f"Synthetic {name} action",
            meeting=past,
            due_on=TODAY() - timedelta(days=3),
        )
        for name, owner in (("police", agency), ("housing", other_agency))
    }
    minute_save(
        acting_user=coordinator,
        item=old_item,
        risks="R",
        victim_voice="V",
        decisions="Synthetic past decision",
    )
    minutes_approve(acting_user=chair, meeting=past)
    today = meeting_create(acting_user=actor, marac=marac, date=TODAY())
    cases = [make_case(referral_date=TODAY() - timedelta(days=20)) for _ in range(2)]
    items = [agenda_item_add(acting_user=actor, meeting=today, case=c) for c in cases]
    agenda_circulate(acting_user=actor, meeting=today)
    research_save(acting_user=police, item=items[0], agency=agency, findings="Synthetic POLICEINFO")
    research_save(
        acting_user=housing, item=items[0], agency=other_agency, findings="Synthetic HOUSINGINFO"
    )
    return {
        "marac": marac,
        "past": past,
        "today": today,
        "items": items,
        "actions": actions,
        "coordinator": coordinator,
        "chair": chair,
        "police": police,
        "housing": housing,
    }


@pytest.fixture
def other_rep(grant_role, other_marac):
    return grant_role(Role.MARAC_REPRESENTATIVE, other_marac)


ROLES = ["coordinator", "chair", "police", "housing", "elsewhere", "idva", "commissioner"]


@pytest.fixture
def person(request, world, make_member, other_rep):
    name = request.param
    if name == "elsewhere":
        return name, other_rep
    if name == "idva":
        return name, make_member(Role.IDVA)
    if name == "commissioner":
        return name, make_member(Role.COMMISSIONER)
    return name, world[name]


def _routes(world):
    marac, today, past = world["marac"], world["today"], world["past"]
    slug = marac.slug
    item = world["items"][1]
    housing_action = world["actions"]["housing"]
    manages = {"coordinator", "chair"}
    reps = {"police", "housing", "elsewhere"}
    here = {"police", "housing"}
    return [
        ("get", reverse("marac:meeting", args=[slug, today.pk]), {}, manages),
        (
            "post",
            reverse("marac:agenda_add", args=[slug, today.pk]),
            {"kind": "review", "cases": [world["items"][0].case_id]},
            manages,
        ),
        ("get", reverse("marac:meeting_day", args=[slug, today.pk]), {}, manages),
        (
            "post",
            reverse("marac:attendance_add", args=[slug, today.pk]),
            {"attendance-name": "Test Name"},
            manages,
        ),
        ("get", reverse("marac:meeting_item", args=[slug, today.pk, item.pk]), {}, manages),
        (
            "post",
            reverse("marac:meeting_item_draft", args=[slug, today.pk, item.pk]),
            {"risks": "Typed"},
            manages,
        ),
        (
            "post",
            reverse("marac:meeting_item_action", args=[slug, today.pk, item.pk]),
            {"action-text": ""},
            manages,
        ),
        (
            "post",
            reverse("marac:action_review", args=[slug, today.pk, world["actions"]["police"].pk]),
            {},
            manages,
        ),
        ("post", reverse("marac:minutes_approve", args=[slug, today.pk]), {}, {"chair"}),
        ("get", reverse("marac:tracker", args=[slug]), {}, manages),
        ("get", reverse("marac:research_list"), {}, reps),
        ("get", reverse("marac:research_item", args=[item.pk]), {}, here),
        ("post", reverse("marac:research_item", args=[item.pk]), {"findings": ""}, here),
        ("get", reverse("marac:my_actions"), {}, reps),
        ("get", reverse("marac:action_update", args=[housing_action.pk]), {}, {"housing"}),
        ("post", reverse("marac:action_update", args=[housing_action.pk]), {}, {"housing"}),
        ("get", reverse("marac:extract", args=[past.pk]), {}, here),
    ]


def _missing(url: str, world) -> str:
    """The same route for an object that does not exist."""
    for key in ("today", "past"):
        url = url.replace(f"/{world[key].pk}/", f"/{MISSING}/")
    for action in world["actions"].values():
        url = url.replace(f"/{action.pk}/", f"/{MISSING}/")
    return url.replace(f"/{world['items'][1].pk}/", f"/{MISSING}/")


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_each_meeting_page_and_endpoint_answers_only_the_right_people(
    client, sign_in, world, person
):
    name, user = person
    sign_in(client, user)
    for method, url, data, allowed in _routes(world):
        before = AccessEvent.objects.filter(user=user).count()
        response = getattr(client, method)(url, data)
        if name in allowed:
            assert response.status_code in {200, 302, 400}, (url, response.status_code)
        else:
            assert response.status_code == 404, (url, response.status_code)
            missing = getattr(client, method)(_missing(url, world), data)
            assert missing.status_code == 404, url
            assert AccessEvent.objects.filter(user=user).count() == before, url
    if name not in {"coordinator", "chair"}:
        assert not MinuteDraft.objects.exists()
        assert world["today"].items.count() == 2
    if name != "housing":
        assert CaseAction.objects.get(pk=world["actions"]["housing"].pk).progress_note == ""


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for method, url, data, _allowed in _routes(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_the_coordinator_sees_every_agencys_research_and_each_agency_only_its_own(
    client, sign_in, world
):
    item = world["items"][0]
    sign_in(client, world["coordinator"])
    page = client.get(
        reverse("marac:meeting_item", args=[world["marac"].slug, world["today"].pk, item.pk])
    ).content.decode()
    assert "POLICEINFO" in page
    assert "HOUSINGINFO" in page
    sign_in(client, world["housing"])
    own = client.get(reverse("marac:research_item", args=[item.pk])).content.decode()
    assert "HOUSINGINFO" in own
    assert "POLICEINFO" not in own
    assert (
        "POLICEINFO" not in client.get(reverse("marac:case", args=[item.case_id])).content.decode()
    )


def test_research_withheld_without_a_reason_redisplays_with_an_error(client, sign_in, world):
    item = world["items"][1]
    sign_in(client, world["housing"])
    response = client.post(
        reverse("marac:research_item", args=[item.pk]), {"findings": "", "withheld": "on"}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "Say why the information is withheld" in response.content.decode()
    response = client.post(
        reverse("marac:research_item", args=[item.pk]),
        {"findings": "", "withheld": "on", "withheld_reason": "Synthetic: live investigation"},
    )
    assert response.status_code == 302
    assert Research.objects.get(item=item).withheld


def test_a_draft_saved_as_typed_comes_back_on_reload_and_save_works_without_script(
    client, sign_in, world
):
    slug, today, item = world["marac"].slug, world["today"], world["items"][1]
    sign_in(client, world["coordinator"])
    draft_url = reverse("marac:meeting_item_draft", args=[slug, today.pk, item.pk])
    saved = client.post(draft_url, {"risks": "Synthetic risk typed halfway", "decisions": ""})
    assert saved.status_code == 200
    assert "saved_at" in saved.json()
    page_url = reverse("marac:meeting_item", args=[slug, today.pk, item.pk])
    page = client.get(page_url).content.decode()
    assert "Synthetic risk typed halfway" in page
    assert 'id="draft-restored"' in page
    response = client.post(
        page_url, {"risks": "Synthetic full risk", "victim_voice": "", "decisions": "Synthetic D"}
    )
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert "Synthetic full risk" in page
    assert 'id="draft-restored"' not in page
    assert not MinuteDraft.objects.exists()
    empty = client.post(page_url, {"risks": "x", "victim_voice": "", "decisions": ""})
    assert empty.status_code == 400
    assert "Record what the meeting decided" in empty.content.decode()


def test_the_meeting_day_records_attendance_reviews_actions_and_the_chair_approves(
    client, sign_in, world, agency
):
    slug, today = world["marac"].slug, world["today"]
    sign_in(client, world["coordinator"])
    refused = client.post(
        reverse("marac:attendance_add", args=[slug, today.pk]),
        {
            "attendance-agency": agency.pk,
            "attendance-name": "Test Officer",
            "attendance-kind": "observer",
        },
    )
    assert refused.status_code == 400
    assert "confidentiality statement" in refused.content.decode()
    client.post(
        reverse("marac:attendance_add", args=[slug, today.pk]),
        {
            "attendance-agency": agency.pk,
            "attendance-name": "Test Officer",
            "attendance-kind": "representative",
            "attendance-confidentiality_signed": "on",
        },
    )
    assert today.attendance.count() == 1
    for key, outcome in (("police", "done"), ("housing", "not_done")):
        action = world["actions"][key]
        client.post(
            reverse("marac:action_review", args=[slug, today.pk, action.pk]),
            {f"review-{action.pk}-status": outcome},
        )
    assert set(
        CaseAction.objects.filter(review_meeting=today).values_list("status", flat=True)
    ) == {CaseActionStatus.DONE, CaseActionStatus.NOT_DONE}
    for item in world["items"]:
        client.post(
            reverse("marac:meeting_item", args=[slug, today.pk, item.pk]),
            {"risks": "", "victim_voice": "", "decisions": "Synthetic decision"},
        )
    coordinator_try = client.post(reverse("marac:minutes_approve", args=[slug, today.pk]))
    assert coordinator_try.status_code == 404
    sign_in(client, world["chair"])
    day = client.get(reverse("marac:meeting_day", args=[slug, today.pk])).content.decode()
    assert "Approve and circulate the minutes" in day
    client.post(reverse("marac:minutes_approve", args=[slug, today.pk]))
    today.refresh_from_db()
    assert today.minutes_approved_at is not None


def test_the_owner_agency_updates_its_action_from_its_list(client, sign_in, world):
    action = world["actions"]["housing"]
    sign_in(client, world["housing"])
    listing = client.get(reverse("marac:my_actions")).content.decode()
    assert "Synthetic housing action" in listing
    assert "Synthetic police action" not in listing
    extract = client.get(reverse("marac:extract", args=[world["past"].pk])).content.decode()
    assert "Synthetic past decision" in extract
    assert "Synthetic housing action" in extract
    assert "Synthetic police action" not in extract
    response = client.post(
        reverse("marac:action_update", args=[action.pk]), {"status": "done", "note": "Fitted"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == CaseActionStatus.DONE


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_tracker_and_meeting_day_take_the_same_queries_as_the_data_grows(
    client, sign_in, world, make_case, agency, other_agency, actor
):
    slug, today = world["marac"].slug, world["today"]
    sign_in(client, world["coordinator"])
    representative = sign_in(Client(), world["housing"])
    tracker = reverse("marac:tracker", args=[slug])
    day = reverse("marac:meeting_day", args=[slug, today.pk])
    research = reverse("marac:research_list")
    before = (
        _queries(client, tracker),
        _queries(client, day),
        _queries(representative, research),
    )
    for _ in range(3):
        case = make_case(referral_date=TODAY() - timedelta(days=20))
        agenda_item_add(acting_user=actor, meeting=today, case=case, kind="emergency")
        for owner in (agency, other_agency):
            case_action_create(
                acting_user=actor,
                case=case,
                owner_agency=owner,
                text="Synthetic",
                due_on=TODAY() - timedelta(days=1),
            )
    after = (
        _queries(client, tracker),
        _queries(client, day),
        _queries(representative, research),
    )
    assert after == before


def test_the_case_page_shows_meetings_through_each_lens(client, sign_in, world):
    """The agenda lens: approved decisions and its own research. The referring agency (full
    lens): other agencies' research only once the meeting has heard the case."""
    old_case = world["actions"]["housing"].case_id
    item = world["items"][0]
    sign_in(client, world["housing"])
    page = client.get(reverse("marac:case", args=[old_case])).content.decode()
    assert "Synthetic past decision" in page
    assert "The victim&#x27;s voice" not in page
    sign_in(client, world["police"])
    before = client.get(reverse("marac:case", args=[item.case_id])).content.decode()
    assert "POLICEINFO" in before
    assert "HOUSINGINFO" not in before
    minute_save(
        acting_user=world["coordinator"],
        item=item,
        risks="",
        victim_voice="",
        decisions="Synthetic today decision",
    )
    after = client.get(reverse("marac:case", args=[item.case_id])).content.decode()
    assert "HOUSINGINFO" in after
    assert "Synthetic today decision" in after


def test_the_dashboard_lists_minutes_awaiting_approval_with_their_due_date(client, sign_in, world):
    sign_in(client, world["coordinator"])
    page = client.get(reverse("marac:dashboard", args=[world["marac"].slug])).content.decode()
    assert "Minutes awaiting the chair" in page
    assert reverse("marac:meeting_day", args=[world["marac"].slug, world["today"].pk]) in page
    assert reverse("marac:tracker", args=[world["marac"].slug]) in page
