"""Load: fifty simulated staff for ten minutes (`--quick`: one minute), then the public
directory under wrk; every answer checked against what that person may see.

The fifty are the two mirror-image partnerships' people (bench/drills/seed.py): per partnership
eight MARAC coordinators, six police and six housing lead officers and five commissioners. Each
thinks for about a second between requests. Coordinators read their MARAC's cases (page and
API); lead officers post progress on actions their agency leads and read the plan and the API;
commissioners read and request board reports and read the plan; everyone searches the public
directory now and then. Each also probes what they may not have: another partnership's case,
action or report, and progress on an action another agency leads.

A leak is any answer that carries the other partnership's marker, a case marker for someone
with no MARAC role there, or an API id outside the person's own partnership. Pass: no 5xx, no
leak, every probe refused, every answer as expected, every successful write stored exactly
once and no refused one stored; wrk on the directory: no non-2xx and no Set-Cookie. The figures
are printed and written between the load markers of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import harness

PERFORMANCE = harness.ROOT / "docs" / "performance.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"
SEARCHES = ["counselling", "refuge advice", "support", "helpline", "legal advice", ""]


@dataclass
class Person:
    kind: str
    code: str
    other: str
    client: harness.Client
    partnership: dict
    foreign: dict


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)
    server_errors: int = 0
    leaks: int = 0
    written: list[str] = field(default_factory=list)
    refused_writes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, problem: str | None, status: int, leak: bool) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.server_errors += status >= 500
            self.leaks += leak
            if problem and len(self.problems) < 50:
                self.problems.append(problem)


def _leaked(person: Person, body: str) -> bool:
    foreign = person.foreign
    if foreign["marker"] in body or foreign["case_marker"] in body:
        return True
    return person.kind != "coordinator" and person.partnership["case_marker"] in body


def _ids_outside(ids: list[int], allowed: list[int]) -> bool:
    return bool(set(ids) - set(allowed))


def _coordinator(person: Person, roll: float):
    own = person.partnership
    if roll < 0.75:
        case = random.choice(own["cases"])
        return "case page", "GET", f"/marac/cases/{case}/", None, {200}, own["case_marker"]
    if roll < 0.85:
        return "API: cases", "GET", "/api/v1/marac/cases/", None, {200}, ("ids", own["cases"])
    case = random.choice(person.foreign["cases"])
    return "probe: other MARAC's case", "GET", f"/marac/cases/{case}/", None, {404}, None


def _officer(person: Person, roll: float, tally: Tally):
    own, agency = person.partnership, person.kind.split("_")[0]
    mine = [a for a in own["actions"] if a["lead"] == agency]
    theirs = [a for a in own["actions"] if a["lead"] != agency]
    if roll < 0.40:
        action, nonce = random.choice(mine), f"Load nonce {uuid.uuid4().hex}"
        form = {"status": "green", "narrative": nonce, "next_steps": ""}
        path = f"/strategies/{own['strategy']}/actions/{action['ref']}/update/"
        return "plan update", "POST", path, form, {302}, ("write", nonce)
    if roll < 0.65:
        action = random.choice(own["actions"])
        path = f"/strategies/{own['strategy']}/actions/{action['ref']}/"
        return "action page", "GET", path, None, {200}, own["marker"]
    if roll < 0.80:
        ids = [a["id"] for a in own["actions"]]
        path = f"/api/v1/actions/?strategy={own['strategy']}"
        return "API: actions", "GET", path, None, {200}, ("ids", ids)
    if roll < 0.90:
        action, nonce = random.choice(theirs), f"Probe nonce {uuid.uuid4().hex}"
        form = {"status": "green", "narrative": nonce, "next_steps": ""}
        path = f"/strategies/{own['strategy']}/actions/{action['ref']}/update/"
        return "probe: other agency's action", "POST", path, form, {403, 404}, ("refused", nonce)
    path = f"/strategies/{person.foreign['strategy']}/actions/1.1/"
    return "probe: other partnership's action", "GET", path, None, {404}, None


def _commissioner(person: Person, roll: float):
    own = person.partnership
    if roll < 0.35:
        report = random.choice(own["reports"])
        return "report page", "GET", f"/reports/{report}/", None, {200}, own["marker"]
    if roll < 0.45:
        report = random.choice(own["reports"])
        form = {"variant": "board"}
        return "report request", "POST", f"/reports/{report}/render/", form, {302}, None
    if roll < 0.55:
        report = random.choice(person.foreign["reports"])
        return "probe: other partnership's report", "GET", f"/reports/{report}/", None, {404}, None
    if roll < 0.80:
        path = f"/strategies/{own['strategy']}/plan/"
        return "plan page", "GET", path, None, {200}, own["marker"]
    return "API: strategies", "GET", "/api/v1/strategies/", None, {200}, ("slugs", own["strategy"])


def _choose(person: Person, tally: Tally):
    roll = random.random()
    if roll < 0.05:
        query = random.choice(SEARCHES).replace(" ", "+")
        return "directory search", "GET", f"/find-support/?q={query}", None, {200}, ("public",)
    roll = (roll - 0.05) / 0.95
    if person.kind == "coordinator":
        return _coordinator(person, roll)
    if person.kind == "commissioner":
        return _commissioner(person, roll)
    return _officer(person, roll, tally)


def _check(answer, expected, check, person: Person, tally: Tally) -> str | None:
    if answer.status not in expected:
        return f"{answer.status} (expected {sorted(expected)})"
    if isinstance(check, str) and check not in answer.body:
        return "the page lacks the person's own marker"
    if isinstance(check, tuple) and check[0] == "ids":
        ids = [row["id"] for row in answer.json().get("results", answer.json())]
        if _ids_outside(ids, check[1]):
            return "the API listed ids outside the person's partnership"
    if isinstance(check, tuple) and check[0] == "slugs":
        slugs = {row["slug"] for row in answer.json().get("results", answer.json())}
        if slugs - {check[1]}:
            return f"the API listed strategies {sorted(slugs)}"
    if isinstance(check, tuple) and check[0] == "public" and answer.set_cookies:
        return "the public directory set a cookie"
    if isinstance(check, tuple) and check[0] == "write":
        tally.written.append(check[1])
    if isinstance(check, tuple) and check[0] == "refused":
        tally.refused_writes.append(check[1])
    return None


def _simulate(person: Person, deadline: float, tally: Tally) -> None:
    time.sleep(random.uniform(0, 2))
    while time.monotonic() < deadline:
        kind, method, path, form, expected, check = _choose(person, tally)
        started = time.monotonic()
        try:
            answer = person.client.request(method, path, form=form)
        except OSError as error:
            tally.add(kind, time.monotonic() - started, f"{kind}: {error!r}", 0, False)
            continue
        seconds = time.monotonic() - started
        leak = _leaked(person, answer.body)
        problem = _check(answer, expected, check, person, tally)
        tally.add(
            kind, seconds, f"{kind} {path}: {problem}" if problem else None, answer.status, leak
        )
        time.sleep(random.uniform(0.5, 1.5))


def _people(stack, facts) -> list[Person]:
    people = []
    for code, other in (("alpha", "bravo"), ("bravo", "alpha")):
        own, foreign = facts["partnerships"][code], facts["partnerships"][other]
        for kind, members in own["people"].items():
            for member in members:
                client = harness.Client(stack.base, facts, member["session"])
                people.append(Person(kind, code, other, client, own, foreign))
    return people


def _seed_directory(stack) -> None:
    code = "import directory_search; directory_search.seed(2000)"
    subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, 'bench'); {code}"],
        cwd=harness.ROOT,
        env=stack.env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _wrk(stack, seconds: int) -> dict[str, str]:
    output = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "30s", "--latency"]
        + ["-s", str(Path(__file__).with_name("wrk_directory.lua")), stack.base + "/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {
        "requests/s": re.search(r"Requests/sec:\s+([\d.]+)", output).group(1),
        "set_cookie": re.search(r"SET_COOKIE (\d+)", output).group(1),
        "non_2xx": re.search(r"NON_2XX (\d+)", output).group(1),
        "errors": "0",
    }
    errors = re.search(r"Socket errors: (.*)", output)
    if errors:
        figures["errors"] = errors.group(1)
    for share in ("50", "90", "99"):
        match = re.search(rf"^\s+{share}%\s+([\d.]+\w+)", output, re.MULTILINE)
        figures[f"p{share}"] = match.group(1) if match else "?"
    return figures


def run(quick: bool = False, seconds: float | None = None, wrk_seconds: int | None = None) -> bool:
    seconds = seconds or (60.0 if quick else 600.0)
    wrk_seconds = wrk_seconds or (15 if quick else 60)
    tally = Tally()
    with harness.stack("load") as stack:
        _seed_directory(stack)
        stack.start_web()
        stack.start_worker()
        facts = stack.facts()
        people = _people(stack, facts)
        harness.log(f"{len(people)} simulated staff for {seconds:.0f} s")
        began = time.monotonic()
        threads = [
            threading.Thread(target=_simulate, args=(p, began + seconds, tally), daemon=True)
            for p in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.monotonic() - began
        harness.log(f"the public directory under wrk for {wrk_seconds} s")
        directory = _wrk(stack, wrk_seconds)
        stored = dict(
            line.split("|")
            for line in stack.postgres.sql(
                "SELECT narrative, count(*) FROM actions_progressupdate "
                "WHERE narrative LIKE 'Load nonce %' OR narrative LIKE 'Probe nonce %' "
                "GROUP BY narrative"
            ).splitlines()
            if line
        )
    return _verdict(tally, stored, directory, len(people), seconds, elapsed, wrk_seconds, quick)


def _verdict(tally, stored, directory, people, seconds, elapsed, wrk_seconds, quick) -> bool:
    total = sum(len(v) for v in tally.latencies.values())
    all_latencies = [s for v in tally.latencies.values() for s in v]
    lost = [n for n in tally.written if stored.get(n) != "1"]
    stored_refused = [n for n in tally.refused_writes if n in stored]
    failures = []
    if tally.server_errors:
        failures.append(f"{tally.server_errors} answers were 5xx")
    if tally.leaks:
        failures.append(f"{tally.leaks} answers leaked another partnership's or a case's marker")
    if tally.problems:
        failures.append(f"{len(tally.problems)}+ unexpected answers, e.g. {tally.problems[:3]}")
    if lost:
        failures.append(f"{len(lost)} progress updates that answered 302 are not stored once")
    if stored_refused:
        failures.append(f"{len(stored_refused)} refused progress updates were stored")
    if directory["non_2xx"] != "0" or directory["set_cookie"] != "0":
        failures.append(f"directory under wrk: {directory}")
    lines = _figures(tally, directory, people, seconds, elapsed, wrk_seconds, quick, total)
    lines += [
        "",
        f"- 5xx answers: {tally.server_errors}; cross-partnership or case-marker leaks: "
        f"{tally.leaks}; unexpected answers: {len(tally.problems)}",
        f"- progress updates answered 302 and stored exactly once: "
        f"{len(tally.written) - len(lost)} of {len(tally.written)}; "
        f"refused probes stored: {len(stored_refused)} of {len(tally.refused_writes)}",
        f"- overall p50 / p95 / p99: {_ms(all_latencies, 0.5)} / {_ms(all_latencies, 0.95)} / "
        f"{_ms(all_latencies, 0.99)} ms",
        f"- result: {'FAIL' if failures else 'pass'}",
    ]
    _write_performance(lines)
    print("\n".join(lines))
    return harness.report("Load", [], failures)


def _ms(values, share) -> str:
    return f"{harness.percentile(values, share) * 1000:.0f}"


def _figures(tally, directory, people, seconds, elapsed, wrk_seconds, quick, total) -> list[str]:
    mode = "quick (`--quick`, 1 minute)" if quick else "full (10 minutes)"
    load_average = os.getloadavg()[0]
    lines = [
        f"Staff load, {mode}: {people} simulated staff, think time 0.5–1.5 s, "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on this machine "
        "(gunicorn 2 workers × 4 threads, one render worker, private PostgreSQL and Redis, "
        f"all on the same two cores, shared: load average {load_average:.1f} at the end, "
        "so latencies here are far above a quiet machine's). "
        "Run it again with `.venv/bin/python bench/drills/load.py` (full) or `--quick`.",
        "",
        f"{total} requests in {elapsed:.0f} s: {total / elapsed:.1f} requests/s.",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in sorted(tally.latencies):
        values = tally.latencies[kind]
        lines.append(
            f"| {kind} | {len(values)} | {_ms(values, 0.5)} | {_ms(values, 0.95)} | "
            f"{_ms(values, 0.99)} |"
        )
    lines += [
        "",
        f"Public directory under `wrk -t2 -c50 -d{wrk_seconds}s` (five searches in turn): "
        f"{directory['requests/s']} requests/s, p50 {directory['p50']}, p90 {directory['p90']}, "
        f"p99 {directory['p99']}; non-2xx {directory['non_2xx']}, answers with Set-Cookie "
        f"{directory['set_cookie']}, socket errors {directory['errors']}.",
    ]
    return lines


def _write_performance(lines: list[str]) -> None:
    """Replace only what is between the load markers; the benchmark harness owns the rest."""
    PERFORMANCE.parent.mkdir(exist_ok=True)
    text = PERFORMANCE.read_text() if PERFORMANCE.exists() else f"{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    block = "\n".join(["", "## Load", "", *lines, ""])
    PERFORMANCE.write_text(f"{before}{START}\n{block}\n{END}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one minute instead of ten")
    parser.add_argument("--seconds", type=float, help="how long the staff load runs")
    parser.add_argument("--wrk-seconds", type=int, help="how long wrk runs on the directory")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.quick, args.seconds, args.wrk_seconds) else 1)


if __name__ == "__main__":
    main()
