"""Role scoping of the partnership pages: allowed and denied in one test, over every role."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ALL_ROLES
from partnership.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_member_sees_their_partnership_and_an_outsider_gets_404(
    role, request, partnership, outsider, sign_in
):
    """Members in any role (partnership, MARAC or board) read the overview; others get 404."""
    member = request.getfixturevalue(role)
    url = reverse("partnership:overview", kwargs={"slug": partnership.slug})
    assert sign_in(Client(), member).get(url).status_code == 200
    assert sign_in(Client(), outsider).get(url).status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_partnership_administrators_manage_people(role, request, partnership, sign_in):
    member = request.getfixturevalue(role)
    url = reverse("partnership:people", kwargs={"slug": partnership.slug})
    expected = 200 if role == Role.PARTNERSHIP_ADMIN else 404
    assert sign_in(Client(), member).get(url).status_code == expected


def test_missing_and_forbidden_partnerships_answer_the_same(partnership, outsider, sign_in):
    client = sign_in(Client(), outsider)
    forbidden = client.get(reverse("partnership:overview", kwargs={"slug": partnership.slug}))
    missing = client.get(reverse("partnership:overview", kwargs={"slug": "no-such-partnership"}))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_board_page_is_for_members_of_its_partnership(board, board_member, outsider, sign_in):
    url = board.get_absolute_url()
    assert sign_in(Client(), board_member).get(url).status_code == 200
    assert sign_in(Client(), outsider).get(url).status_code == 404


def test_agency_page_is_for_partnerships_the_agency_works_in(
    agency, commissioner, outsider, sign_in
):
    url = agency.get_absolute_url()
    assert sign_in(Client(), commissioner).get(url).status_code == 200
    assert sign_in(Client(), outsider).get(url).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(partnership):
    response = Client().get(reverse("partnership:overview", kwargs={"slug": partnership.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signed_in_pages_are_never_stored(partnership, commissioner, sign_in):
    response = sign_in(Client(), commissioner).get(partnership.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
