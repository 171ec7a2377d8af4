"""Production settings refuse to start without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}
    }
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secrets(tmp_path):
    result = run_check(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "portal.example.org",
            "DJANGO_ENV_FILE": str(tmp_path / "absent.env"),
        }
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG is off, so these secrets must be set" in result.stderr
    assert not (tmp_path / "absent.env").exists()


def test_development_generates_missing_secrets_into_the_env_file(tmp_path):
    env_file = tmp_path / "dev.env"
    result = run_check({"DJANGO_DEBUG": "1", "DJANGO_ENV_FILE": str(env_file)})
    assert result.returncode == 0, result.stderr
    written = env_file.read_text()
    for name in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
        assert f"{name}=" in written
    assert oct(env_file.stat().st_mode)[-3:] == "600"


def test_the_blind_index_key_must_differ_from_encryption_keys():
    result = run_check(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 60,
            "FIELD_ENCRYPTION_KEYS": "same",
            "BLIND_INDEX_KEY": "same",
            "DJANGO_ENV_FILE": "/nonexistent/.env",
        }
    )
    assert result.returncode != 0
    assert "BLIND_INDEX_KEY must differ" in result.stderr
