"""A planted victim name and address appear nowhere in a pg_dump, the logs or Redis (DESIGN §5)."""

import logging
import shutil
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from marac.models import Lens
from marac.permissions import access_case
from marac.selectors import case_detail, case_list, cases_find_exact
from marac.services import (
    VictimDetails,
    agenda_circulate,
    agenda_item_add,
    meeting_create,
)
from partnership.models import Role

CANARY_FIRST = "Zqxcanaryfirst"
CANARY_LAST = "Vexcanarylast"
CANARY_ADDRESS = "77 Canarywharfless Lane"
CANARY_PHONE = "07700 987654"
CANARIES = [CANARY_FIRST, CANARY_LAST, CANARY_ADDRESS, "Canarywharfless", "987654"]


def _pg_dump() -> str:
    db = connection.settings_dict
    command = [
        shutil.which("pg_dump") or "pg_dump",
        "--no-owner",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        db["USER"],
        db["NAME"],
    ]
    env = {"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def _redis_contents() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL)
    parts = []
    for key in client.scan_iter():
        parts.append(repr(key))
        kind = client.type(key)
        if kind == b"string":
            parts.append(repr(client.get(key)))
        elif kind == b"list":
            parts.append(repr(client.lrange(key, 0, -1)))
        elif kind == b"hash":
            parts.append(repr(client.hgetall(key)))
        elif kind in (b"set", b"zset"):
            parts.append(repr(client.zrange(key, 0, -1) if kind == b"zset" else client.smembers(key)))
    return "\n".join(parts)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def all_logs():
    """Every log record from every logger, at DEBUG, while the test runs."""
    handler = _Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("django", "django.db.backends", "marac")]
    old = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)
    for lg, level, propagate in old:
        lg.setLevel(level)
        lg.propagate = propagate


@pytest.mark.django_db(transaction=True)
def test_a_planted_victim_is_nowhere_in_a_dump_the_logs_or_redis(
    make_case, make_member, marac, actor, all_logs
):
    """Committed records, every log line (SQL included) and Redis hold no planted identifier."""
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    output = StringIO()
    try:
        born = timezone.localdate().replace(year=1988)
        case = make_case(
            victim_details=VictimDetails(
                first_name=CANARY_FIRST,
                last_name=CANARY_LAST,
                date_of_birth=born,
                address=CANARY_ADDRESS,
                phone=CANARY_PHONE,
                safe_contact=f"Ask for {CANARY_FIRST} at {CANARY_ADDRESS}",
            ),
            referral_date=timezone.localdate() - timedelta(days=30),
        )
        meeting = meeting_create(acting_user=actor, marac=marac, date=timezone.localdate())
        agenda_item_add(acting_user=actor, meeting=meeting, case=case)
        agenda_circulate(acting_user=actor, meeting=meeting)
        coordinator = make_member(Role.MARAC_COORDINATOR)
        view = case_detail(coordinator, case.pk, Lens.FULL)
        assert view.victim["first_name"] == CANARY_FIRST
        access_case(coordinator, case.pk, Lens.AGENDA)
        case_list(coordinator, Lens.FULL)
        found = cases_find_exact(
            coordinator, marac, first_name=CANARY_FIRST, last_name=CANARY_LAST, date_of_birth=born
        )
        assert [c.pk for c in found] == [case.pk]
        call_command("rotate_field_keys", stdout=output, stderr=output)
    finally:
        connection.force_debug_cursor = False

    dump = _pg_dump()
    assert "marac_victim" in dump
    assert case.case_ref in dump  # the committed case really is in the dump
    logs = "\n".join(all_logs) + output.getvalue()
    assert "marac_victim" in logs  # the SQL really was logged
    redis_text = _redis_contents()
    for canary in CANARIES:
        assert canary not in dump, canary
        assert canary.lower() not in dump.lower(), canary
        assert canary not in logs, canary
        assert canary not in redis_text, canary
