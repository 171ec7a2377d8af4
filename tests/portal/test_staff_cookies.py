"""Staff get only the strictly necessary cookies the cookies page lists (session and CSRF);
messages that name people wait in the database session, never in a cookie."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnership.models import Role

pytestmark = pytest.mark.django_db


def test_a_message_naming_a_person_is_kept_in_the_session_not_a_cookie(
    partnership, partnership_admin, commissioner, agency, sign_in
):
    client = sign_in(Client(), partnership_admin)
    url = reverse(
        "partnership:person", kwargs={"slug": partnership.slug, "person_id": commissioner.pk}
    )
    response = client.post(url, {"agency": agency.pk, "role": Role.LEAD_OFFICER})
    assert response.status_code == 302
    assert set(response.cookies) <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    assert all(commissioner.full_name not in morsel.value for morsel in client.cookies.values())
    page = client.get(response["Location"])
    assert f"Role given to {commissioner.full_name}." in page.content.decode()
    assert set(client.cookies) <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def test_the_cookies_page_lists_the_cookies_staff_get():
    html = Client().get("/cookies/").content.decode()
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        assert name in html
