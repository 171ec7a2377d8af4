import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_api_schema_and_docs_are_for_verified_staff_only(path, commissioner, sign_in):
    assert Client().get(path).status_code in (401, 403)
    unverified = Client()
    unverified.force_login(commissioner)
    assert unverified.get(path).status_code in (401, 403)
    assert sign_in(Client(), commissioner).get(path).status_code == 200


def test_swagger_ui_is_served_locally(commissioner, sign_in):
    html = sign_in(Client(), commissioner).get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html
    assert "unpkg.com" not in html


def test_schema_is_openapi_3(commissioner, sign_in):
    response = sign_in(Client(), commissioner).get("/api/schema/?format=json")
    assert response.json()["openapi"].startswith("3.")
