"""The action-plan API under /api/v1/: scoped by actions.permissions, and in the schema."""

import pytest
from django.test import Client

from actions.models import ProgressUpdate
from conftest import ALL_ROLES
from partnership.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_members_read_the_plan_and_outsiders_see_nothing(
    role, request, sign_in, strategy, police_action, outsider
):
    member = sign_in(Client(), request.getfixturevalue(role))
    stranger = sign_in(Client(), outsider)
    listing = member.get("/api/v1/actions/", {"strategy": strategy.slug}).json()
    assert [a["ref"] for a in listing["results"]] == ["A.1"]
    assert listing["results"][0]["leads"][0]["is_primary"] is True
    assert stranger.get("/api/v1/actions/").json()["results"] == []
    assert [s["slug"] for s in member.get("/api/v1/strategies/").json()["results"]] == [
        strategy.slug
    ]
    assert stranger.get("/api/v1/strategies/").json()["results"] == []
    for url in (
        f"/api/v1/actions/{police_action.pk}/",
        f"/api/v1/strategies/{strategy.slug}/",
        f"/api/v1/strategies/{strategy.slug}/priorities/",
        f"/api/v1/actions/{police_action.pk}/progress-updates/",
    ):
        assert member.get(url).status_code == 200, url
        assert stranger.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_posting_progress_through_the_api(role, request, sign_in, police_action, outsider):
    client = sign_in(Client(), request.getfixturevalue(role))
    url = f"/api/v1/actions/{police_action.pk}/progress-updates/"
    response = client.post(url, {"status": "green", "narrative": "Synthetic."}, "application/json")
    allowed = role in (Role.COMMISSIONER, Role.LEAD_OFFICER)
    assert response.status_code == (201 if allowed else 403)
    assert ProgressUpdate.objects.exists() == allowed
    stranger = sign_in(Client(), outsider)
    assert (
        stranger.post(url, {"status": "green", "narrative": "x"}, "application/json").status_code
        == 404
    )


def test_the_api_applies_the_service_rules(sign_in, lead_officer, police_action):
    client = sign_in(Client(), lead_officer)
    url = f"/api/v1/actions/{police_action.pk}/progress-updates/"
    response = client.post(url, {"status": "red", "narrative": "Stuck."}, "application/json")
    assert response.status_code == 400
    assert "next_steps" in response.json()


def test_an_unverified_session_is_refused(client, lead_officer, police_action):
    client.force_login(lead_officer)
    assert client.get("/api/v1/actions/").status_code == 403


def test_the_endpoints_are_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in (
        "/api/v1/strategies/",
        "/api/v1/strategies/{slug}/",
        "/api/v1/strategies/{slug}/priorities/",
        "/api/v1/actions/",
        "/api/v1/actions/{id}/",
        "/api/v1/actions/{id}/progress-updates/",
        "/api/v1/measures/",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/actions/{id}/progress-updates/"]


def test_a_strategy_filter_that_cannot_be_a_slug_finds_nothing(
    sign_in, commissioner, strategy, police_action
):
    """A NUL byte or other junk in `?strategy=` matches no strategy instead of reaching
    PostgreSQL (which cannot compare a string holding NUL) as a 500."""
    client = sign_in(Client(), commissioner)
    for junk in (f"{strategy.slug}\x00", "a b", "%"):
        response = client.get("/api/v1/actions/", {"strategy": junk})
        assert response.status_code == 200, junk
        assert response.json()["results"] == []
    listing = client.get("/api/v1/actions/", {"strategy": strategy.slug}).json()
    assert [a["ref"] for a in listing["results"]] == ["A.1"]


@pytest.mark.parametrize(("page", "status"), [("1", 200), ("last", 200), ("", 404), ("x", 404)])
def test_a_page_that_is_not_a_number_is_refused(sign_in, lead_officer, strategy, page, status):
    """An empty `page=` is no more a page number than "x": never silently the first page."""
    client = sign_in(Client(), lead_officer)
    response = client.get("/api/v1/strategies/", {"page": page})
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Invalid page."}
