"""A planted victim name and address appear nowhere in a pg_dump, the logs or Redis (DESIGN §5)."""

import logging
import shutil
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
import redis
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from marac.models import Case, Lens
from marac.permissions import access_case
from marac.selectors import case_detail, case_list, cases_find_exact
from marac.services import (
    VictimDetails,
    agenda_circulate,
    agenda_item_add,
    meeting_create,
)
from marac.services.imports import COLUMNS
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
        elif kind == b"set":
            parts.append(repr(client.smembers(key)))
        elif kind == b"zset":
            parts.append(repr(client.zrange(key, 0, -1)))
    return "\n".join(parts)


def _import_canary(tmp_path, marac, output) -> None:
    """The same victim, imported from a spreadsheet: a bad file first, then a good one."""
    header = ",".join(COLUMNS)
    day = timezone.localdate() - timedelta(days=60)
    row = (
        f"LEAK-1,{day},{day + timedelta(days=5)},police,visible_high_risk,15,"
        f"{CANARY_FIRST},{CANARY_LAST},1988-01-01,female,white_other,no,no,1,,,yes,"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}\n{row.replace('1988-01-01', CANARY_LAST)}\n", encoding="utf-8")
    try:
        call_command("import_marac_cases", "--marac", marac.slug, str(bad), stdout=output)
    except CommandError as error:
        output.write(str(error))
    good = tmp_path / "good.csv"
    good.write_text(f"{header}\n{row}\n", encoding="utf-8")
    call_command("import_marac_cases", "--marac", marac.slug, str(good), stdout=output)
    assert "line 2, column victim_dob" in output.getvalue()


def _through_http(client, marac, agency, born) -> None:
    """The same victim through the pages and the API: the referral form, the repeat check, the
    case page, both lookups and a refused API referral (its 400 and the 404s are logged)."""
    dash = {f"dash_{n}": "yes" if n <= 15 else "no" for n in range(1, 25)}
    form = client.post(
        reverse("marac:referral_new", kwargs={"slug": marac.slug}),
        {
            "case_ref": "LEAK-WEB-1",
            "referral_date": timezone.localdate().isoformat(),
            "referring_agency": agency.pk,
            "first_name": CANARY_FIRST,
            "last_name": CANARY_LAST,
            "date_of_birth": born.isoformat(),
            "gender": "female",
            "ethnicity": "white_british",
            "lgbt": "no",
            "disability": "no",
            "address": CANARY_ADDRESS,
            "safe_contact": f"Ring {CANARY_PHONE}",
            "children_in_household": "0",
            "consent": "given",
            **dash,
        },
    )
    assert form.status_code == 302, form.content.decode()[:2000]
    check = client.get(form["Location"])
    assert "Check referral LEAK-WEB-1" in check.content.decode()
    client.post(form["Location"])  # accept: the repeat status is decided
    web_case = Case.objects.get(marac=marac, case_ref="LEAK-WEB-1")
    assert (
        CANARY_ADDRESS
        in client.get(reverse("marac:case", kwargs={"pk": web_case.pk})).content.decode()
    )
    person = {
        "person": "1",
        "person-first_name": CANARY_FIRST,
        "person-last_name": CANARY_LAST,
        "person-date_of_birth": born.isoformat(),
    }
    found = client.post(reverse("marac:lookup", kwargs={"slug": marac.slug}), person)
    assert "LEAK-WEB-1" in found.content.decode()
    api = client.post(
        reverse("marac_api:case_lookup"),
        {
            "marac": marac.slug,
            "first_name": CANARY_FIRST,
            "last_name": CANARY_LAST,
            "date_of_birth": born.isoformat(),
        },
        content_type="application/json",
    )
    assert api.status_code == 200
    refused = client.post(
        reverse("marac_api:referrals"),
        {"marac": marac.slug, "first_name": CANARY_FIRST, "last_name": CANARY_LAST},
        content_type="application/json",
    )
    assert refused.status_code == 400
    missing = Case.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("marac:case", kwargs={"pk": missing})).status_code == 404


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
    names = ("django", "django.db.backends", "django.request", "django.server", "marac")
    loggers = [logging.getLogger(n) for n in names]
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
    make_case, make_member, marac, actor, all_logs, tmp_path, client, sign_in, member_agency
):
    """Committed records, every log line (SQL and requests included) and Redis hold no planted
    identifier, whether it came through the services, the pages, the API or an import."""
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
        sign_in(client, coordinator)
        _through_http(client, marac, member_agency.agency, born)
        _import_canary(tmp_path, marac, output)
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
        where = logs.find(canary)
        assert canary not in logs, (canary, logs[max(0, where - 600) : where + 200])
        assert canary not in redis_text, canary
