"""Drill: the render worker's pool child is killed (SIGKILL) mid-render.

A commissioner asks for a board report through the portal; as soon as the run is rendering,
the prefork pool child doing the work is killed. While all this happens a second person keeps
downloading the run. Pass: the run completes exactly once (one run, two attempts, no third
after the visibility timeout), one file is stored and no partial file is left, and every
download that answered 200 was a whole, readable PDF.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import threading
import time
from pathlib import Path

import harness
from pypdf import PdfReader

VISIBILITY_TIMEOUT = 30


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


def _downloader(client, run_id, stop, seen):
    while not stop.is_set():
        answer = client.get(f"/reports/runs/{run_id}/download/")
        seen.append((answer.status, answer.headers.get("content-length", ""), answer.content))
        time.sleep(0.05)


def _kill_mid_render(stack, run_id: int) -> bool:
    worker = stack.processes["worker"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _run(stack, run_id)[0] == "rendering":
            for child in _children(worker.pid):
                os.kill(child, signal.SIGKILL)
            return True
        time.sleep(0.01)
    return False


def _run(stack, run_id: int) -> list[str]:
    return stack.postgres.sql(
        "SELECT status, attempts, file_name, pages FROM reporting_reportrun WHERE id = :id",
        id=run_id,
    ).split("|")


def _partial(seen, pages: int) -> int:
    broken = 0
    for status, length, raw in seen:
        if status != 200:
            continue
        try:
            whole = len(PdfReader(io.BytesIO(raw)).pages) == pages
        except Exception:  # noqa: BLE001 - any unreadable file is a partial file served
            whole = False
        broken += not whole or (length and int(length) != len(raw))
    return broken


def run(quick: bool = False) -> bool:
    failures: list[str] = []
    with harness.stack("worker-kill") as stack:
        stack.start_web()
        stack.start_worker(visibility_timeout=VISIBILITY_TIMEOUT)
        worker = stack.processes["worker"]
        harness.wait_for(lambda: _children(worker.pid), 60, "the worker's pool child")
        facts = stack.facts()
        alpha = facts["partnerships"]["alpha"]
        author = harness.Client(stack.base, facts, alpha["people"]["commissioner"][0]["session"])
        reader = harness.Client(stack.base, facts, alpha["people"]["commissioner"][1]["session"])
        report_id = alpha["reports"][0]
        answer = author.post(f"/reports/{report_id}/render/", form={"variant": "board"})
        if answer.status != 302:
            failures.append(f"asking for the report answered {answer.status}")
        run_id = int(
            stack.postgres.sql(
                "SELECT id FROM reporting_reportrun WHERE report_id = :id", id=report_id
            )
        )
        stop, seen = threading.Event(), []
        downloads = threading.Thread(
            target=_downloader, args=(reader, run_id, stop, seen), daemon=True
        )
        downloads.start()
        if not _kill_mid_render(stack, run_id):
            failures.append("the render finished before the pool child could be killed")
        harness.log("pool child killed mid-render; waiting for the redelivered render")
        ready_after = harness.wait_for(
            lambda: _run(stack, run_id)[0] == "ready", 120, "the run to be ready"
        )
        # Past the visibility timeout: a second delivery, if there were one, would render again.
        time.sleep(VISIBILITY_TIMEOUT + 5)
        stop.set()
        downloads.join(timeout=30)
        status, attempts, file_name, pages = _run(stack, run_id)
        runs = stack.postgres.sql(
            "SELECT count(*) FROM reporting_reportrun WHERE report_id = :id", id=report_id
        )
        files = sorted(p.name for p in (stack.storage / "reports").iterdir())
    whole = sum(1 for item in seen if item[0] == 200)
    broken = _partial(seen, int(pages))
    rows = [
        ("run status, attempts", f"{status}, {attempts}"),
        ("ready after the kill", f"{ready_after:.1f} s"),
        ("runs for the report", runs),
        ("files stored", ", ".join(files)),
        ("downloads tried, 200 answers, partial", f"{len(seen)}, {whole}, {broken}"),
    ]
    if status != "ready" or attempts != "2":
        failures.append(f"expected ready after exactly 2 attempts, got {status} / {attempts}")
    if runs != "1":
        failures.append(f"{runs} runs for one request")
    if files != [file_name]:
        failures.append(f"stored files {files} are not just {file_name}")
    if broken:
        failures.append(f"{broken} downloads were not a whole PDF")
    if not whole:
        failures.append("no download succeeded once the run was ready")
    return harness.report("Worker killed mid-render", rows, failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the same drill (it is quick)")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.quick) else 1)


if __name__ == "__main__":
    main()
