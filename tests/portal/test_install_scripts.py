"""The install scripts `make demo` and `make test` run on a fresh machine (they cannot be run
end to end here: the machine's PostgreSQL and Redis are shared)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "scripts").glob("*.sh")) + [ROOT / ".ci" / "run"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_script_is_valid_bash(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_someone_without_root_is_never_told_to_install_postgresql_or_redis():
    """They may use servers elsewhere (DATABASE_URL, REDIS_URL) or Docker: ensure-services.sh
    tells them so. Run as `nobody` when the tests run as root, so apt is never used."""
    command = ["bash", str(ROOT / "scripts" / "install-system-packages.sh")]
    if os.getuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("runuser is needed to run the script without root")
        command = [runuser, "-u", "nobody", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, cwd="/")
    missing = result.stderr.partition(":")[2].split()
    assert result.returncode == (1 if missing else 0), result.stderr
    assert not {"postgresql", "postgresql-client", "redis-server"} & set(missing)
    assert "Installing" not in result.stdout
