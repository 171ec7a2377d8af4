"""Drill: PostgreSQL restarted twice under ten concurrent writers.

Ten signed-in, second-factor-verified people post progress updates, each with a unique nonce,
half through the staff API and half through the progress page. PostgreSQL is stopped (fast
shutdown, so in-flight transactions are cut) and started again twice. Pass: every write that
answered 2xx is stored exactly once and none is stored twice; while it is down the portal
answers 503 with a plain page and no traceback; every writer succeeds again within 10 seconds
of PostgreSQL accepting connections.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
import uuid
from dataclasses import dataclass

import harness

RECOVERY_LIMIT = 10.0
TRACEBACK_SIGNS = ("Traceback", "OperationalError", "psycopg", 'File "/')


@dataclass
class Write:
    writer: int
    nonce: str
    started: float
    finished: float
    status: int  # 0: no HTTP answer at all
    plain: bool
    detail: str = ""


def _writer(index, person, actions, slug, base, facts, stop, log):
    client = harness.Client(base, facts, person["session"])
    use_api = index % 2 == 0
    while not stop.is_set():
        action = random.choice(actions)
        nonce = f"Drill nonce {uuid.uuid4().hex}"
        started = time.monotonic()
        try:
            if use_api:
                answer = client.post(
                    f"/api/v1/actions/{action['id']}/progress-updates/",
                    data={"status": "green", "narrative": nonce},
                )
                ok = answer.status == 201
            else:
                answer = client.post(
                    f"/strategies/{slug}/actions/{action['ref']}/update/",
                    form={"status": "green", "narrative": nonce, "next_steps": ""},
                )
                ok = answer.status == 302 and "/accounts/" not in answer.headers.get("location", "")
            status = answer.status if ok or answer.status >= 300 else -answer.status
            plain = not any(sign in answer.body for sign in TRACEBACK_SIGNS)
            detail = "" if ok or answer.status == 503 else f"{answer.status} {answer.body[:300]}"
        except OSError as error:
            status, plain, detail = 0, True, repr(error)
        log.append(Write(index, nonce, started, time.monotonic(), status, plain, detail))
        time.sleep(0.02)


def _recovery(writes: list[Write], up_at: float, until: float) -> float:
    """Seconds from PostgreSQL accepting connections to the start of the last request that
    still failed: after it, every request succeeded. Request latency on a busy machine does not
    count, only how long the portal kept failing."""
    failed = [
        w.started - up_at
        for w in writes
        if w.status == 503 and w.started >= up_at and w.finished < until  # not the next outage's
    ]
    return max(failed, default=0.0)


def _every_writer_back(writes: list[Write], up_at: float, writers: int) -> float | None:
    """Seconds until the last writer's first success after the outage (None: one never did)."""
    firsts = {}
    for write in sorted(writes, key=lambda w: w.finished):
        if write.started >= up_at and 200 <= write.status < 400 and write.writer not in firsts:
            firsts[write.writer] = write.finished - up_at
    return max(firsts.values()) if len(firsts) == writers else None


def run(quick: bool = False, seconds: float | None = None, down: float = 3.0) -> bool:
    seconds = seconds or (40.0 if quick else 60.0)
    with harness.stack("postgres") as stack:
        stack.start_web()
        facts = stack.facts()
        alpha = facts["partnerships"]["alpha"]
        writers = alpha["people"]["commissioner"] + alpha["people"]["police_officer"][:5]
        police_actions = [a for a in alpha["actions"] if a["lead"] == "police"]
        log: list[Write] = []
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_writer,
                args=(
                    i,
                    person,
                    alpha["actions"] if i < 5 else police_actions,
                    alpha["strategy"],
                    stack.base,
                    facts,
                    stop,
                    log,
                ),
                daemon=True,
            )
            for i, person in enumerate(writers)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        outages = []
        for at in (0.2, 0.6):
            time.sleep(max(0.0, began + seconds * at - time.monotonic()))
            harness.log(f"stopping PostgreSQL (fast) for {down:.0f} s")
            down_at = time.monotonic()
            stack.postgres.stop("fast")
            time.sleep(down)
            stack.postgres.start()
            up_at = time.monotonic()
            harness.log("PostgreSQL is accepting connections again")
            outages.append((down_at, up_at))
        time.sleep(max(0.0, began + seconds - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        stack.stop_process("web")
        stored = dict(
            line.split("|")
            for line in stack.postgres.sql(
                "SELECT narrative, count(*) FROM actions_progressupdate "
                "WHERE narrative LIKE 'Drill nonce %' GROUP BY narrative"
            ).splitlines()
            if line
        )
    return _verdict(log, stored, outages, len(writers), seconds, down)


def _verdict(log, stored, outages, writers, seconds, down) -> bool:
    succeeded = [w for w in log if 200 <= w.status < 400]
    unavailable = [w for w in log if w.status == 503]
    other = [w for w in log if not (200 <= w.status < 400) and w.status != 503]
    failures = []
    lost = [w.nonce for w in succeeded if stored.get(w.nonce) is None]
    twice = [nonce for nonce, count in stored.items() if int(count) > 1]
    if lost:
        failures.append(f"{len(lost)} writes answered 2xx but are not stored")
    if twice:
        failures.append(f"{len(twice)} writes are stored more than once")
    if other:
        statuses = sorted({abs(w.status) for w in other})
        failures.append(f"{len(other)} answers were neither success nor 503: {statuses}")
        for write in other[:3]:
            print(f"  unexpected answer: {write.detail}")
    if any(not w.plain for w in unavailable):
        failures.append("a 503 answer showed a traceback or a database error")
    rows = [
        ("writers, duration", f"{writers} writers, {seconds:.0f} s, 2 outages of {down:.0f} s"),
        ("writes attempted", len(log)),
        ("answered 2xx (stored exactly once)", f"{len(succeeded)} ({len(succeeded) - len(lost)})"),
        ("answered 503, plain page", len(unavailable)),
        ("503 writes stored anyway (committed)", sum(1 for w in unavailable if w.nonce in stored)),
        ("other answers", len(other)),
    ]
    next_down = [down for down, _ in outages][1:] + [float("inf")]
    for number, ((down_at, up_at), until) in enumerate(zip(outages, next_down, strict=True), 1):
        during = [w for w in log if w.status == 503 and down_at - 1 <= w.finished <= up_at + 2]
        recovery = _recovery(log, up_at, until)
        back = _every_writer_back(log, up_at, writers)
        rows.append((f"outage {number}: 503 answers", len(during)))
        rows.append((f"outage {number}: recovery (last failure began)", f"{recovery:.2f} s"))
        rows.append(
            (
                f"outage {number}: every writer succeeded again",
                "never" if back is None else f"after {back:.2f} s",
            )
        )
        if not during:
            failures.append(f"outage {number} produced no 503: the drill did not reach the portal")
        if recovery > RECOVERY_LIMIT:
            failures.append(f"outage {number}: requests still failed {recovery:.1f} s after")
        if back is None:
            failures.append(f"outage {number}: a writer never succeeded again")
    return harness.report("PostgreSQL restarted twice under ten writers", rows, failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="40 s instead of 60 s")
    parser.add_argument("--seconds", type=float, help="how long the writers run")
    parser.add_argument("--down", type=float, default=3.0, help="seconds PostgreSQL stays down")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.quick, args.seconds, args.down) else 1)


if __name__ == "__main__":
    main()
