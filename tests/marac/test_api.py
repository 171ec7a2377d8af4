"""The MARAC staff API: referrals with DASH, acceptance, lookups (POST, rate-limited), DASH
history and indicators, in the OpenAPI schema, with no personal value in any URL."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from marac import permissions
from marac.models import AccessEvent, AccessKind, Case, CaseStatus
from partnership.suppression import SUPPRESSED
from tests.marac.test_indicators import END, START, cohort  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _referral(marac, agency, score: int, **extra) -> dict:
    answers = ["yes"] * score + ["no"] * (24 - score)
    return {
        "marac": marac.slug,
        "case_ref": "API-0001",
        "referral_date": timezone.localdate().isoformat(),
        "referring_agency": agency.slug,
        "first_name": "Testvictim",
        "last_name": "Fictionalsurname",
        "date_of_birth": "1990-05-17",
        "dash_answers": answers,
        "consent": "given",
        "perpetrator_first_name": "Testperp",
        "perpetrator_last_name": "Madeupname",
        **extra,
    }


def test_a_coordinator_submits_and_accepts_a_referral(
    client, sign_in, marac_coordinator, marac, agency, member_agency
):
    sign_in(client, marac_coordinator)
    response = client.post(
        reverse("marac_api:referrals"),
        _referral(marac, agency, 15),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dash_score"] == 15
    assert body["visible_high_risk"] is True
    assert body["is_repeat"] is None
    waiting = client.get(reverse("marac_api:referrals"), {"marac": marac.slug}).json()
    assert [case["case_ref"] for case in waiting] == ["API-0001"]
    accepted = client.post(reverse("marac_api:referral_accept", kwargs={"pk": body["id"]}))
    assert accepted.json()["is_repeat"] is False
    assert Case.objects.get(pk=body["id"]).status == CaseStatus.ACCEPTED
    again = client.post(reverse("marac_api:referral_accept", kwargs={"pk": body["id"]}))
    assert again.status_code == 400


def test_a_referral_below_14_without_professional_judgement_is_refused(
    client, sign_in, marac_coordinator, marac, agency, member_agency
):
    sign_in(client, marac_coordinator)
    response = client.post(
        reverse("marac_api:referrals"),
        _referral(marac, agency, 13),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "criteria" in response.json()
    ok = client.post(
        reverse("marac_api:referrals"),
        _referral(
            marac,
            agency,
            13,
            professional_judgement=True,
            pj_rationale="Synthetic worry about escalation.",
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_representatives_cannot_submit_through_the_api(
    client, sign_in, marac_representative, marac, agency, member_agency
):
    sign_in(client, marac_representative)
    response = client.post(
        reverse("marac_api:referrals"),
        _referral(marac, agency, 15),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_api_lookups_are_posts_recorded_and_rate_limited(
    client, sign_in, marac_coordinator, marac, make_case
):
    case = make_case()
    sign_in(client, marac_coordinator)
    url = reverse("marac_api:case_lookup")
    person = {
        "marac": marac.slug,
        "first_name": "Testvictim",
        "last_name": "Fictionalsurname",
        "date_of_birth": "1990-05-17",
    }
    assert client.get(url, person).status_code == 405
    found = client.post(url, person, content_type="application/json").json()
    assert [row["case_ref"] for row in found] == [case.case_ref]
    for _ in range(permissions.LOOKUPS_PER_HOUR - 1):
        client.post(url, {"marac": marac.slug, "case_ref": "NONE"}, content_type="application/json")
    refused = client.post(url, person, content_type="application/json")
    assert refused.status_code == 429
    assert (
        AccessEvent.objects.filter(
            user=marac_coordinator, what=AccessKind.LOOKUP, case_id=None
        ).count()
        == permissions.LOOKUPS_PER_HOUR
    )


def test_a_lookup_needs_a_reference_or_a_whole_name_and_date_of_birth(
    client, sign_in, marac_coordinator, marac
):
    sign_in(client, marac_coordinator)
    url = reverse("marac_api:case_lookup")
    partial = {"marac": marac.slug, "first_name": "Testvictim"}
    assert client.post(url, partial, content_type="application/json").status_code == 400
    assert not AccessEvent.objects.exists()


def test_the_dash_history_lists_versions(client, sign_in, marac_coordinator, make_case):
    case = make_case()
    sign_in(client, marac_coordinator)
    history = client.get(reverse("marac_api:dash", kwargs={"pk": case.pk})).json()
    assert [(row["version"], row["score"]) for row in history] == [(1, 16)]
    assert len(history[0]["answers"]) == 24


def test_indicators_match_the_command_and_suppress_for_others(
    client,
    sign_in,
    marac_coordinator,
    commissioner,
    cohort,  # noqa: F811
    partnership,
):
    sign_in(client, marac_coordinator)
    url = reverse("marac_api:indicators")
    full = client.get(url, {"marac": cohort.slug, "from": START, "to": END}).json()
    assert full["suppressed"] is False
    assert full["figures"]["cases_discussed"] == 5
    assert full["figures"]["repeat_rate"] == pytest.approx(20.0)
    sign_in(client, commissioner)
    hidden = client.get(url, {"marac": cohort.slug, "from": START, "to": END}).json()
    assert hidden["suppressed"] is True
    assert hidden["figures"]["repeat_cases"] == SUPPRESSED
    assert hidden["figures"]["repeat_rate"] == SUPPRESSED
    assert hidden["figures"]["cases_discussed"] == 5
    pooled = client.get(url, {"partnership": partnership.slug, "from": START, "to": END}).json()
    assert pooled["figures"]["total"]["repeat_cases"] == SUPPRESSED
    assert client.get(url, {"marac": cohort.slug, "from": "nonsense"}).status_code == 400


def test_the_schema_lists_the_marac_endpoints_with_no_personal_query_parameter(
    client, sign_in, commissioner
):
    sign_in(client, commissioner)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = {path: ops for path, ops in schema["paths"].items() if "/marac/" in path}
    assert set(paths) >= {
        "/api/v1/marac/cases/",
        "/api/v1/marac/cases/lookup/",
        "/api/v1/marac/cases/{id}/",
        "/api/v1/marac/cases/{id}/dash-assessments/",
        "/api/v1/marac/referrals/",
        "/api/v1/marac/referrals/{id}/accept/",
        "/api/v1/marac/indicators/",
    }
    personal = {"first_name", "last_name", "date_of_birth", "name", "dob", "address"}
    for ops in paths.values():
        for op in ops.values():
            names = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
            assert not names & personal
