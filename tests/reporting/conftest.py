"""Fixtures for board reports: a board with an author and a member, test indicators, and a
real Celery worker consuming from the real Redis broker."""

from __future__ import annotations

import pytest

from partnership import indicators
from partnership.models import Role
from portal.celery import app as celery_app
from reporting.periods import Quarter
from tests.marac.test_indicators import cohort  # noqa: F401 - the imported MARAC cohort fixture

PERIOD = Quarter(2026, 2)


class Dial:
    """The value a test indicator returns: tests turn it to change the "live" data."""

    def __init__(self) -> None:
        self.cases = 3

    def count(self, *, partnership, start, end, borough=None):
        return self.cases if borough is None else self.cases

    def percent(self, *, partnership, start, end, borough=None):
        return 42.5


@pytest.fixture
def dial():
    dial = Dial()
    registered = [
        indicators.register(
            indicators.Indicator(
                name="testing.cases_discussed",
                label="Cases discussed (test)",
                unit="count",
                compute=dial.count,
                recommended=40,
            )
        ),
        indicators.register(
            indicators.Indicator(
                name="testing.repeat_rate",
                label="Repeat rate (test)",
                unit="percent",
                compute=dial.percent,
                national=31,
                derived_from=("testing.cases_discussed",),
            )
        ),
    ]
    yield dial
    for indicator in registered:
        indicators.unregister(indicator.name)


@pytest.fixture
def author(make_member):
    return make_member(Role.COMMISSIONER)


@pytest.fixture
def draft(board, author, actor):
    from reporting.services import report_open

    return report_open(acting_user=actor, board=board, period=PERIOD, author=author)


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def celery_worker_thread(transactional_db):
    """A real worker (solo pool, in a thread) on the real Redis broker, queues default+render."""
    from celery.contrib.testing.worker import start_worker

    with celery_app.connection_for_write() as connection:
        for queue in ("default", "render"):  # leftovers from an earlier, interrupted run
            connection.default_channel.queue_purge(queue)
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        queues=["default", "render"],
        shutdown_timeout=10,
    ) as worker:
        yield worker
