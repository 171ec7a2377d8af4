import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_process_and_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"process": "ok", "database": "ok"}}


def test_readyz_reports_database_and_redis():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_fails_when_redis_is_unreachable(settings):
    """A real connection to a closed port: no mock stands in for Redis."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "failing"


def test_health_checks_set_no_cookie_and_are_not_cached():
    response = Client().get("/healthz")
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]
