"""Seed the benchmark database and take the figures that need no server (bench/run.py runs it).

In one Django process, with the server's settings (`DJANGO_DEBUG=0`) and the same data:
  1. seeds (idempotently) the anchor's twelve fortunes, the 300-action plan, the directory's
     synthetic services and the MARAC cases (COPY, bench/marac_data.py);
  2. times the directory search beside a naive scan, and the MARAC lists with their access
     rules beside the same question asked without them (issue 6);
  3. counts the database queries of one request to each target (django.test.Client with the
     signed-in session, `CaptureQueriesContext`), and of the case lists at several page sizes;
  4. makes the signed-in, second-factor-verified sessions wrk will use, last, so they are fresh.
Writes everything as JSON to `--out`; the lookup pool's cookies go one a line to `--cookies`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from dataclasses import asdict  # noqa: E402

from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import actions_data, directory_search, marac_data  # noqa: E402
from bench.sessions import verified_session_cookies  # noqa: E402
from bench.targets import targets  # noqa: E402
from marac import crypto, permissions, selectors  # noqa: E402
from marac.models import (  # noqa: E402
    AgendaItem,
    Case,
    CaseAction,
    CaseActionStatus,
    Lens,
    Marac,
    ReferralSource,
)
from partnership.models import Agency, Role, User  # noqa: E402
from portal.models import Fortune  # noqa: E402

LOOKUPS_EACH = permissions.LOOKUPS_PER_HOUR


def seed_fortunes() -> None:
    have = Fortune.objects.count()
    Fortune.objects.bulk_create(
        Fortune(message=f"Synthetic fortune number {n}.") for n in range(have, 12)
    )


def say(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def timed_pair(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Both functions timed in turn, call by call, so a change in the machine's load while
    they run falls on both alike: their ratio is what the aims are checked against."""
    first(), second()  # warm
    samples: tuple[list[float], list[float]] = ([], [])
    deadline = time.monotonic() + directory_search.BUDGET_SECONDS * 2
    for _ in range(runs):
        for function, kept in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            function()
            kept.append((time.perf_counter() - started) * 1000)
        if len(samples[0]) >= directory_search.MIN_SAMPLES and time.monotonic() > deadline:
            break
    first_figures, second_figures = (
        {
            "p50_ms": statistics.median(kept),
            "p95_ms": directory_search.p95(kept),
            "samples": len(kept),
        }
        for kept in samples
    )
    return first_figures, second_figures


def selects_of(function: Callable[[], object]) -> list[str]:
    """The SELECT statements one call runs, with their values bound (to re-run them alone)."""
    with CaptureQueriesContext(connection) as captured:
        function()
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


def run_sql(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def query_count(function: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def ratio(ruled: dict, unruled: dict) -> float:
    return ruled["p95_ms"] / unruled["p95_ms"] if unruled["p95_ms"] else 0.0


# -- MARAC: the same question with and without access rules --------------------------------


def unruled_agenda(marac: Marac, agency_id: int) -> list[Case]:
    """The representative's list asked plainly, for one known MARAC and agency: cases on a
    circulated agenda within the last `agenda_access_days`, or with an open action of the
    agency, or that the agency referred (its representatives hold the full lens on those).
    No membership, lens, do-not-disclose or grant is consulted, and nothing is recorded.

    Shaped as the ruled path is (ids first, then the rows for those ids) because that is the
    best plain way to ask it: one statement joining the summary to every case costs more."""
    since = timezone.localdate() - timedelta(days=marac.agenda_access_days)
    circulated = AgendaItem.objects.filter(
        meeting__marac=marac, meeting__agenda_circulated_at__isnull=False
    )
    recent = circulated.filter(meeting__date__gte=since).order_by().values("case_id")
    acting = (
        CaseAction.objects.filter(
            case__in=circulated.values("case_id"),
            owner_agency_id=agency_id,
            status=CaseActionStatus.OPEN,
        )
        .order_by()
        .values("case_id")
    )
    referred = (
        ReferralSource.objects.filter(
            agency_id=agency_id, referral__case__in=circulated.values("case_id")
        )
        .order_by()
        .values("referral__case_id")
    )
    ids = list(recent.union(acting, referred).values_list("case_id", flat=True))
    latest = (
        AgendaItem.objects.filter(case=OuterRef("pk"), meeting__agenda_circulated_at__isnull=False)
        .order_by("-meeting__date")
        .values("meeting__date")[:1]
    )
    return list(
        Case.objects.with_summary()
        .filter(pk__in=ids)
        .annotate(meeting_date=Subquery(latest))
        .order_by("-meeting_date", "case_ref")
    )


def _compare(ruled: Callable[[], list], unruled: Callable[[], list], runs: int) -> dict:
    ruled_rows, unruled_rows = ruled(), unruled()
    same = sorted(c.pk for c in ruled_rows) == sorted(c.pk for c in unruled_rows)
    ruled_sql, unruled_sql = selects_of(ruled), selects_of(unruled)
    figures = {
        "rows": len(ruled_rows),
        "same_rows": same,
        "queries_ruled": query_count(ruled),
        "queries_unruled": query_count(unruled),
    }
    figures["ruled"], figures["unruled"] = timed_pair(ruled, unruled, runs)
    figures["ruled_sql"], figures["unruled_sql"] = timed_pair(
        lambda: run_sql(ruled_sql), lambda: run_sql(unruled_sql), runs
    )
    figures["ratio"] = ratio(figures["ruled"], figures["unruled"])
    figures["ratio_sql"] = ratio(figures["ruled_sql"], figures["unruled_sql"])
    return figures


def lookup_users(count: int, run: str) -> Iterator[User]:
    """Coordinators to look up as, each used for no more than the hourly limit allows."""
    for user in marac_data.lookup_coordinators(count, run):
        for _ in range(LOOKUPS_EACH):
            yield user


def marac_figures(bench: marac_data.MaracBench, runs: int, run: str) -> dict:
    rep = User.objects.get(email=bench.representative_email)
    coordinator = User.objects.get(email=bench.coordinator_email)
    marac = Marac.objects.get(slug=bench.marac_slug)
    agency_id = permissions.marac_memberships(rep, Role.MARAC_REPRESENTATIVE).get().agency_id
    agenda = _compare(
        lambda: selectors.agenda_cases(rep),
        lambda: unruled_agenda(marac, agency_id),
        runs,
    )
    dob = date.fromisoformat(bench.lookup_date_of_birth)
    person = {
        "first_name": bench.lookup_first_name,
        "last_name": bench.lookup_last_name,
        "date_of_birth": dob,
    }
    index = crypto.victim_index(bench.lookup_first_name, bench.lookup_last_name, dob)
    users = lookup_users(-(-(6 * runs + 20) // LOOKUPS_EACH), f"{run}-inprocess")
    say("  the coordinator's lookup")
    lookup = _compare(
        lambda: selectors.cases_find_exact(next(users), marac, **person),
        lambda: list(Case.objects.with_summary().filter(victim__blind_index=index, marac=marac)),
        runs,
    )
    page_sizes = {}
    for per_page in (10, 50, 200):
        page_sizes[str(per_page)] = {
            "coordinator, full lens": query_count(
                lambda n=per_page: selectors.case_page(
                    coordinator, Lens.FULL, marac=marac, per_page=n
                )
            ),
            "representative, agenda lens": query_count(
                lambda n=per_page: selectors.case_page(rep, Lens.AGENDA, marac=marac, per_page=n)
            ),
        }
    return {
        "cases": Case.objects.count(),
        "maracs": Marac.objects.filter(partnership__slug=marac_data.SLUG).count(),
        "agencies": Agency.objects.filter(slug__startswith=f"{marac_data.SLUG}-agency-").count(),
        "representative_list": agenda,
        "lookup": lookup,
        "queries_by_page_size": page_sizes,
    }


# -- queries per request ---------------------------------------------------------------------


def request_queries(setup: dict, cookies: dict[str, str], lookup_cookie: str) -> dict[str, dict]:
    """One request to each target in-process, through every middleware: status and queries."""
    counts = {}
    for target in targets(setup):
        cookie = lookup_cookie if target.who == "lookup" else cookies.get(target.who, "")
        client = Client()
        if cookie:
            name, value = cookie.split("=", 1)
            client.cookies[name] = value
        call = client.post if target.method == "POST" else client.get
        kwargs = {"content_type": "application/x-www-form-urlencoded"} if target.body else {}
        with CaptureQueriesContext(connection) as captured:
            response = (
                call(target.path, target.body, **kwargs) if target.body else call(target.path)
            )
        counts[target.name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
        }
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--lookup-users", type=int, default=200)
    parser.add_argument("--run", default=str(int(time.time())))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cookies", type=Path, required=True)
    args = parser.parse_args()
    started = time.monotonic()
    seed_fortunes()
    actions_data.seed()
    say("seeding the directory")
    directory_search.seed(args.services)
    say("seeding MARAC cases with COPY")
    marac_started = time.monotonic()
    bench = marac_data.seed(args.cases)
    seeded = {
        "seconds": time.monotonic() - started,
        "marac_seconds": time.monotonic() - marac_started,
    }
    setup = {"marac": asdict(bench), "plan_slug": actions_data.STRATEGY_SLUG, "seeding": seeded}
    say("directory search in-process")
    setup["directory"] = directory_search.measure(args.runs)
    say("MARAC lists with and without rules")
    setup["marac_figures"] = marac_figures(bench, args.runs, args.run)
    say("queries per request")
    people = {
        "officer": User.objects.get(email=actions_data.OFFICER_EMAIL),
        "coordinator": User.objects.get(email=bench.coordinator_email),
        "representative": User.objects.get(email=bench.representative_email),
    }
    query_cookies = dict(zip(people, verified_session_cookies(people.values()), strict=True))
    (query_lookup,) = verified_session_cookies(marac_data.lookup_coordinators(1, f"{args.run}-q"))
    setup["queries"] = request_queries(setup, query_cookies, query_lookup)
    setup["cookies"] = dict(zip(people, verified_session_cookies(people.values()), strict=True))
    pool = marac_data.lookup_coordinators(args.lookup_users, f"{args.run}-wrk")
    args.cookies.write_text("\n".join(verified_session_cookies(pool)) + "\n")
    setup["lookups_each"] = LOOKUPS_EACH
    args.out.write_text(json.dumps(setup, indent=1, default=str))


if __name__ == "__main__":
    main()
