"""Drill: Redis (the Celery broker and cache) is stopped while five board reports are requested.

With Redis down for `--seconds` (120 by default, 20 with `--quick`): a commissioner asks for
five reports through the portal; people already signed in keep using their pages; someone
types a wrong password five times and is then refused even with the right one. Then Redis
comes back and the beat's sweeper re-enqueues what could not be sent. Pass: every request is a
database row at once; no answer is a 5xx; nobody is signed out; sign-in throttling works with
Redis down (it is in PostgreSQL); all five reports complete exactly once (one run each, one
attempt each, five files) after Redis returns.
"""

from __future__ import annotations

import argparse
import time

import harness

WRONG = "Wrong-synthetic-password-0"
LOCKED = "There have been too many attempts to sign in"


def _sign_in(client, email: str, password: str):
    return client.post("/accounts/login/", form={"login": email, "password": password})


def _throttling(stack, facts) -> tuple[list[int], int, int]:
    """Five wrong passwords, then the right one (refused); another person still gets in."""
    alpha = facts["partnerships"]["alpha"]
    victim_email = alpha["people"]["housing_officer"][5]["email"]
    other_email = alpha["people"]["housing_officer"][4]["email"]
    attempts = harness.Client(stack.base, facts)
    wrong = [_sign_in(attempts, victim_email, WRONG).status for _ in range(5)]
    right = _sign_in(attempts, victim_email, facts["password"])
    other = _sign_in(harness.Client(stack.base, facts), other_email, facts["password"])
    return wrong, right.status if LOCKED in right.body else -right.status, other.status


def _still_signed_in(clients) -> tuple[int, list[int]]:
    statuses = [client.get("/my-actions/").status for client in clients]
    return sum(status == 200 for status in statuses), statuses


def _runs(stack, reports) -> list[list[str]]:
    return [
        line.split("|")
        for line in stack.postgres.sql(
            "SELECT report_id, status, attempts, coalesce(file_name, '') FROM reporting_reportrun "
            "ORDER BY report_id"
        ).splitlines()
        if line
    ]


def _failures(statuses, rows_during, pages, signed_in, people, wrong, right) -> list[str]:
    failures = []
    if any(status != 302 for status in statuses):
        failures.append(f"report requests answered {statuses}")
    if len(rows_during) != 5 or {r[1] for r in rows_during} != {"queued"}:
        failures.append("the five requests were not stored as queued runs at once")
    if any(status != 200 for status in pages):
        failures.append(f"report pages answered {pages}")
    if any(count != people for count in signed_in):
        failures.append(f"someone was signed out: {signed_in} of {people} still signed in")
    if wrong != [200, 200, 200, 200, 429] or right != 429:  # the fifth failure locks
        failures.append(f"throttling did not hold with Redis down: {wrong}, then {right}")
    return failures


def _more_failures(other, final, files) -> list[str]:
    failures = []
    if other != 302:
        failures.append(f"another person could not sign in with Redis down ({other})")
    if len(final) != 5 or any(r[1] != "ready" or r[2] != "1" for r in final):
        failures.append(f"not exactly once: {final}")
    if len(files) != 5 or any(".part-" in name for name in files):
        failures.append(f"stored files: {files}")
    return failures


def run(quick: bool = False, seconds: float | None = None) -> bool:
    seconds = seconds or (20.0 if quick else 120.0)
    failures: list[str] = []
    with harness.stack("redis") as stack:
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        facts = stack.facts()
        alpha = facts["partnerships"]["alpha"]
        author = harness.Client(stack.base, facts, alpha["people"]["commissioner"][0]["session"])
        others = [
            harness.Client(stack.base, facts, person["session"])
            for kind in ("commissioner", "police_officer", "coordinator")
            for person in alpha["people"][kind][1:4]
        ]
        before, _ = _still_signed_in(others)
        harness.log(f"stopping Redis for {seconds:.0f} s")
        stack.redis.stop()
        stopped_at = time.monotonic()
        statuses, request_seconds = [], []
        for report_id in alpha["reports"]:
            started = time.monotonic()
            statuses.append(
                author.post(f"/reports/{report_id}/render/", form={"variant": "board"}).status
            )
            request_seconds.append(time.monotonic() - started)
        rows_during = _runs(stack, alpha["reports"])
        pages = [author.get(f"/reports/{report_id}/").status for report_id in alpha["reports"]]
        wrong, right, other = _throttling(stack, facts)
        during, _ = _still_signed_in(others)
        time.sleep(max(0.0, stopped_at + seconds - time.monotonic()))
        late, _ = _still_signed_in(others)
        stack.redis.start()
        harness.log("Redis is back; waiting for the sweeper and the worker")
        back_at = time.monotonic()
        try:
            harness.wait_for(
                lambda: [r[1] for r in _runs(stack, alpha["reports"])] == ["ready"] * 5,
                240,
                "all five reports to be ready",
                interval=1,
            )
            completed = f"{time.monotonic() - back_at:.0f} s"
        except harness.DrillFailed:
            completed = "not within 240 s"
            failures.append("the five reports did not all complete after Redis returned")
        time.sleep(5)
        final = _runs(stack, alpha["reports"])
        files = sorted(p.name for p in (stack.storage / "reports").glob("*"))
        after, _ = _still_signed_in(others)
    rows = [
        ("Redis down for", f"{seconds:.0f} s"),
        ("report requests answered", statuses),
        ("slowest request while Redis was down", f"{max(request_seconds):.2f} s"),
        (
            "runs stored while Redis was down",
            f"{len(rows_during)}, all {set(r[1] for r in rows_during)}",
        ),
        ("report pages while Redis was down", pages),
        (
            "still signed in: before, during, late, after",
            f"{before}, {during}, {late}, {after} of {len(others)}",
        ),
        ("five wrong passwords answered", wrong),
        ("then the right password", "refused, 429 (locked)" if right == 429 else right),
        ("another person's right password", other),
        ("all five ready after Redis returned", completed),
        ("runs, attempts each", f"{len(final)}, {[r[2] for r in final]}"),
        ("files stored", len(files)),
    ]
    failures += _failures(
        statuses, rows_during, pages, (before, during, late, after), len(others), wrong, right
    )
    failures += _more_failures(other, final, files)
    return harness.report("Redis stopped while five reports are requested", rows, failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Redis down for 20 s, not 120 s")
    parser.add_argument("--seconds", type=float, help="how long Redis stays down")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.quick, args.seconds) else 1)


if __name__ == "__main__":
    main()
