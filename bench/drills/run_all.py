"""Run every fault drill and the load test (`make drills`), then say which passed.

Quick by default, so the whole run stays near ten minutes on a two-core machine: PostgreSQL
writers 40 s, Redis down 20 s, load 1 minute and wrk 15 s. `--full` runs them at full length
(writers 60 s, Redis down 120 s, load 10 minutes, wrk 60 s):

    .venv/bin/python bench/drills/run_all.py [--full]     # or: make drills DRILLS=--full

The PostgreSQL drill (it times recovery) and the load (it measures) run alone; the drills in
between mostly wait on the portal and run side by side. Each drill starts and removes its own
PostgreSQL cluster and Redis on free ports; none touches the machine's own servers. The
processes' logs are kept in bench/results/drills/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHASES = [
    ["postgres_restart.py"],
    ["redis_outage.py", "worker_kill.py", "concurrent_edit.py", "backup_restore.py"],
    ["load.py"],
]


def _start(script: str, quick: bool) -> tuple[str, subprocess.Popen, float]:
    command = [sys.executable, str(HERE / script), *(["--quick"] if quick else [])]
    process = subprocess.Popen(
        command, cwd=HERE.parents[1], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return script, process, time.monotonic()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="full-length drills and load")
    args = parser.parse_args()
    quick = not args.full
    print(f"Fault drills and load ({'quick' if quick else 'full length'}; --full for full length)")
    print("Each drill's figures follow as it finishes.", flush=True)
    results = []
    for phase in PHASES:
        running = [_start(script, quick) for script in phase]
        for script, process, started in running:
            output, _ = process.communicate()
            print(f"\n---- {script} ----\n{output.rstrip()}", flush=True)
            results.append((script, process.returncode == 0, time.monotonic() - started))
    print("\n== Summary ==")
    for script, passed, seconds in results:
        print(f"  {'pass' if passed else 'FAIL'}  {script} ({seconds:.0f} s)")
    raise SystemExit(0 if all(passed for _, passed, _ in results) else 1)


if __name__ == "__main__":
    main()
