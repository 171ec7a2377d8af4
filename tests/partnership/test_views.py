import pytest
from django.test import Client
from django.urls import reverse

from partnership.models import Membership, Role
from partnership.services import membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_invite_with_errors_shows_a_summary_and_keeps_what_was_typed(
    partnership, partnership_admin, sign_in
):
    client = sign_in(Client(), partnership_admin)
    url = reverse("partnership:invite", kwargs={"slug": partnership.slug})
    response = client.post(
        url,
        {
            "full_name": "Typed Name",
            "email": "not-an-email",
            "agency": "999999",
            "role": "superhero",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter an email address in the correct format" in html
    assert "Choose a known agency" in html
    assert "Choose a role from the list" in html
    assert 'value="Typed Name"' in html
    assert Membership.objects.filter(user__full_name="Typed Name").count() == 0


def test_invite_creates_the_person_and_their_role(partnership, partnership_admin, agency, sign_in):
    client = sign_in(Client(), partnership_admin)
    url = reverse("partnership:invite", kwargs={"slug": partnership.slug})
    response = client.post(
        url,
        {
            "full_name": "Invited Person",
            "email": "invited@example.org",
            "agency": agency.pk,
            "role": Role.COMMISSIONER,
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__email="invited@example.org").role == Role.COMMISSIONER


def test_a_duplicate_membership_from_the_form_is_refused_with_a_message(
    partnership, partnership_admin, commissioner, agency, sign_in
):
    client = sign_in(Client(), partnership_admin)
    url = reverse(
        "partnership:person", kwargs={"slug": partnership.slug, "person_id": commissioner.pk}
    )
    before = Membership.objects.count()
    response = client.post(url, {"agency": agency.pk, "role": Role.COMMISSIONER})
    assert response.status_code == 200
    assert "already holds this role here" in response.content.decode()
    assert Membership.objects.count() == before


def test_ending_a_membership_and_deactivating_a_person(
    partnership, partnership_admin, commissioner, sign_in
):
    client = sign_in(Client(), partnership_admin)
    membership = Membership.objects.get(user=commissioner)
    client.post(
        reverse(
            "partnership:membership_end",
            kwargs={"slug": partnership.slug, "membership_id": membership.pk},
        )
    )
    membership.refresh_from_db()
    assert membership.ended_at is not None
    client.post(
        reverse(
            "partnership:deactivate",
            kwargs={"slug": partnership.slug, "person_id": commissioner.pk},
        )
    )
    commissioner.refresh_from_db()
    assert not commissioner.is_active


def test_people_page_query_count_does_not_grow_with_people(
    partnership, partnership_admin, agency, actor, sign_in, django_assert_max_num_queries
):
    """The people list costs the same number of queries for 3 people as for 30."""
    client = sign_in(Client(), partnership_admin)
    url = reverse("partnership:people", kwargs={"slug": partnership.slug})

    def grow(n):
        for _ in range(n):
            membership_grant(
                acting_user=actor,
                user=UserFactory(),
                agency=agency,
                role=Role.LEAD_OFFICER,
                partnership=partnership,
            )

    grow(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(27)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_board_page_shows_attendance_over_time(
    board, board_member, partnership_admin, actor, sign_in
):
    from datetime import date

    from partnership.services import attendance_record, board_meeting_create

    meeting = board_meeting_create(acting_user=actor, board=board, date=date(2026, 9, 3))
    attendance = meeting.attendance.get(user=board_member)
    substitute = UserFactory(full_name="Test Substitute")
    attendance_record(
        acting_user=actor, attendance=attendance, status="substitute", substitute=substitute
    )
    html = sign_in(Client(), partnership_admin).get(board.get_absolute_url()).content.decode()
    assert "Sep 2026" in html
    assert "Sent a substitute" in html
    assert "Test Substitute" in html
    assert "1 of 1" in html


def test_switching_partnership(partnership, other_partnership, agency, actor, sign_in):
    person = UserFactory()
    for p in (partnership, other_partnership):
        membership_grant(
            acting_user=actor, user=person, agency=agency, role=Role.COMMISSIONER, partnership=p
        )
    client = sign_in(Client(), person)
    response = client.post(reverse("partnership:switch"), {"partnership": other_partnership.slug})
    assert response["Location"] == other_partnership.get_absolute_url()
    assert (
        client.get(reverse("partnership:home"))["Location"] == other_partnership.get_absolute_url()
    )


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_ADMIN, Role.COMMISSIONER])
def test_administrators_edit_a_borough_population_others_get_404(
    role, request, partnership, borough, sign_in
):
    client = sign_in(Client(), request.getfixturevalue(role))
    url = reverse(
        "partnership:borough_population",
        kwargs={"slug": partnership.slug, "borough_slug": borough.slug},
    )
    response = client.post(url, {"population": "98400", "source": "ONS", "year": "2024"})
    borough.refresh_from_db()
    if role == Role.PARTNERSHIP_ADMIN:
        assert response.status_code == 302
        assert borough.adult_female_population == 98400
    else:
        assert response.status_code == 404
        assert borough.adult_female_population != 98400


def test_a_bad_population_is_refused_and_kept_on_the_form(
    partnership, borough, partnership_admin, sign_in
):
    client = sign_in(Client(), partnership_admin)
    url = reverse(
        "partnership:borough_population",
        kwargs={"slug": partnership.slug, "borough_slug": borough.slug},
    )
    html = client.post(url, {"population": "lots", "source": "ONS", "year": "1850"}).content
    html = html.decode()
    assert "Enter the population as a whole number" in html
    assert "Enter a year from 2000" in html
    assert 'value="ONS"' in html


def test_a_borough_outside_the_partnership_is_404(partnership, partnership_admin, sign_in):
    client = sign_in(Client(), partnership_admin)
    url = reverse(
        "partnership:borough_population",
        kwargs={"slug": partnership.slug, "borough_slug": "havering"},
    )
    assert client.get(url).status_code == 404
