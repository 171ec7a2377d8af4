"""A prefork worker whose pool child is killed mid-render: the report completes exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from portal.celery import app as celery_app
from reporting import services
from reporting.models import ReportRun, RunStatus

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _worker_environment(private_storage: Path) -> dict[str, str]:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": url,
        "PRIVATE_STORAGE_ROOT": str(private_storage),
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }


def test_killing_the_pool_child_mid_render_still_completes_exactly_once(
    draft, author, private_storage
):
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("render")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            "render",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=_worker_environment(private_storage),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not _children(worker.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        run = services.report_render_request(acting_user=author, report=draft)
        killed = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not killed:
            status = ReportRun.objects.filter(pk=run.pk).values_list("status", flat=True)[0]
            if status == RunStatus.RENDERING:
                for child in _children(worker.pid):
                    os.kill(child, signal.SIGKILL)
                    killed = True
            time.sleep(0.01)
        assert killed, "the render finished before it could be interrupted"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status == RunStatus.READY:
                break
            time.sleep(0.2)
        assert run.status == RunStatus.READY, run.error
        time.sleep(7)  # past the visibility timeout: no second delivery renders it again
        run.refresh_from_db()
        assert run.attempts == 2
        assert ReportRun.objects.filter(report=draft).count() == 1
        files = sorted(p.name for p in (private_storage / "reports").iterdir())
        assert files == [run.file_name]
        assert len(PdfReader(private_storage / "reports" / run.file_name).pages) == run.pages
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
