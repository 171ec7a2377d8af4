"""A report asked for while Redis cannot be reached: the request is kept as a queued row, the
person sees no error, and once the broker is back the sweeper sends it to a real worker."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ReportRun, RunStatus
from tests.reporting.test_rendering import wait_for
from tests.reporting.test_worker_crash import ROOT, _worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

# Nothing listens on port 1: a broker that is down.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
REQUEST = """
import django
django.setup()
from partnership.models import User
from reporting.models import BoardReport
from reporting.services import report_render_request
run = report_render_request(
    acting_user=User.objects.get(pk={author}), report=BoardReport.objects.get(pk={report})
)
print(run.pk)
"""


def test_a_request_while_redis_is_down_is_kept_and_sent_by_the_sweeper(
    draft, author, dial, private_storage, celery_worker_thread
):
    environment = {**_worker_environment(private_storage), "REDIS_URL": UNREACHABLE_REDIS}
    done = subprocess.run(
        [sys.executable, "-c", REQUEST.format(author=author.pk, report=draft.pk)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    run = ReportRun.objects.get(pk=int(done.stdout.split()[-1]))
    assert (run.status, run.enqueued_at) == (RunStatus.QUEUED, None)
    # A minute on, Redis is back and the beat's sweeper runs.
    ReportRun.objects.filter(pk=run.pk).update(requested_at=timezone.now() - timedelta(minutes=2))
    assert services.report_runs_sweep() == 1
    run = wait_for(run)
    assert run.status == RunStatus.READY, run.error
    assert ReportRun.objects.filter(report=draft).count() == 1
