"""Run every fault drill and the load test in turn (`make drills`), then say which passed.

Quick by default, so the whole run stays under ten minutes on a two-core machine:
PostgreSQL writers 30 s, Redis down 20 s, load 1 minute and wrk 15 s. `--full` runs them at
full length (writers 60 s, Redis down 120 s, load 10 minutes, wrk 60 s):

    .venv/bin/python bench/drills/run_all.py [--full]     # or: make drills DRILLS=--full

Each drill starts and removes its own PostgreSQL cluster and Redis on free ports; none touches
the machine's own servers. The processes' logs are kept in bench/results/drills/.
"""

from __future__ import annotations

import argparse
import time
import traceback

import backup_restore
import concurrent_edit
import harness
import load
import postgres_restart
import redis_outage
import worker_kill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="full-length drills and load")
    args = parser.parse_args()
    quick = not args.full
    drills = [
        ("PostgreSQL restarted twice under ten writers", lambda: postgres_restart.run(quick)),
        ("Redis stopped while five reports are requested", lambda: redis_outage.run(quick)),
        ("Worker killed mid-render", lambda: worker_kill.run(quick)),
        ("Two people saving the same action 100 times", lambda: concurrent_edit.run(100)),
        ("Backup and restore", lambda: backup_restore.run(quick)),
        ("Load: fifty staff, then the directory under wrk", lambda: load.run(quick)),
    ]
    print(f"Fault drills and load ({'quick' if quick else 'full length'}; --full for full length)")
    results = []
    for name, drill in drills:
        harness.log(f"drill: {name}")
        started = time.monotonic()
        try:
            passed = drill()
        except Exception:  # noqa: BLE001 - a drill that breaks has failed; the rest still run
            traceback.print_exc()
            passed = False
        results.append((name, passed, time.monotonic() - started))
    print("\n== Summary ==")
    for name, passed, seconds in results:
        print(f"  {'pass' if passed else 'FAIL'}  {name} ({seconds:.0f} s)")
    raise SystemExit(0 if all(passed for _, passed, _ in results) else 1)


if __name__ == "__main__":
    main()
