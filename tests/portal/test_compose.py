"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def load():
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_runs_postgres_redis_web_worker_and_beat():
    services = load()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_app_services_share_one_image_and_the_portal_settings():
    services = load()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["image"] == "vawg-portal:latest"
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        for key in (
            "DJANGO_SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "BLIND_INDEX_KEY",
            "DJANGO_ALLOWED_HOSTS",
            "DJANGO_DEBUG",
        ):
            assert key in env, (name, key)
        assert set(service["depends_on"]) == {"postgres", "redis"}


def test_commands_start_gunicorn_one_worker_and_exactly_one_beat():
    services = load()["services"]
    assert "gunicorn" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    worker = services["worker"]["command"]
    assert worker[:4] == ["celery", "-A", "portal", "worker"]
    assert "default,render" in worker
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "portal", "beat"]
    assert "deploy" not in services["beat"] or services["beat"]["deploy"].get("replicas", 1) == 1


def test_compose_demo_keys_are_valid_and_distinct():
    import base64

    from cryptography.fernet import Fernet

    env = load()["services"]["web"]["environment"]
    field_key = env["FIELD_ENCRYPTION_KEYS"].split(":-", 1)[1].rstrip("}")
    blind_key = env["BLIND_INDEX_KEY"].split(":-", 1)[1].rstrip("}")
    Fernet(field_key)
    assert len(base64.urlsafe_b64decode(blind_key)) == 32
    assert field_key != blind_key
