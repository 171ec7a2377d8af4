"""`make bench`: seed fixed synthetic data, measure every key page and job beside a one-query
anchor under gunicorn with wrk, and write the figures to docs/performance.md (issue 10).

    .venv/bin/python bench/run.py            # full: 100,000 MARAC cases and services, 10 s runs
    .venv/bin/python bench/run.py --million  # the same with 1,000,000 MARAC cases
    .venv/bin/python bench/run.py --quick    # 10,000 of each, 3 s runs (within 10 minutes)

Everything runs against its own database (`BENCH_DATABASE_URL`, default `vawg_bench`, and
`vawg_bench_quick` for the quick mode), never the development one. The portal runs as in
production (`DJANGO_DEBUG=0`, the shipped gunicorn.conf.py) on 127.0.0.1; wrk measures each
target at one and eight connections, and every rate is reported as a share of the anchor's in
the same run, because absolute numbers on a shared two-core machine mean little.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import perfdoc, report_render  # noqa: E402
from bench.targets import Target, targets  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/vawg_bench"
# The quick mode keeps its smaller data apart, so the full data never slows it down.
QUICK_DATABASE = "postgres://postgres@127.0.0.1:5432/vawg_bench_quick"
CSRF_COOKIE = "__Host-csrftoken"  # the production name (DJANGO_DEBUG=0)
LOOKUP_RPS_CEILING = 800  # sizes the pool of lookup coordinators (20 lookups each an hour)
CONNECTIONS = (1, 8)
CHECK_SECONDS = 90

MODES = {
    "full": {
        "cases": 100_000,
        "services": 100_000,
        "seconds": 10,
        "runs": 40,
        "reports": [200, 1000],
    },
    "quick": {"cases": 10_000, "services": 10_000, "seconds": 3, "runs": 15, "reports": [200]},
}


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def _read_env_file() -> dict[str, str]:
    env_file = ROOT / ".env"
    values = {}
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def server_environment() -> dict[str, str]:
    """Production settings against the bench database, with the keys of the local `.env`."""
    env = {**os.environ, **_read_env_file()}
    env.update(
        DATABASE_URL=os.environ["BENCH_DATABASE_URL"],
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        BENCHMARK_ANCHOR="1",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def prepare_database() -> dict[str, str]:
    """Create and migrate the bench database; `DJANGO_DEBUG=1` first writes `.env`'s keys on a
    fresh clone, which the production-mode server then reads."""
    first = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
    }
    manage(first, "ensure_database")
    env = server_environment()
    manage(env, "migrate", "--noinput", "-v0")
    if not static_is_current():
        log("collecting static files (compressed and hashed: minutes on two cores)")
        manage(env, "collectstatic", "--noinput", "-v0")
    return env


def static_is_current() -> bool:
    """Production settings serve hashed static files from a manifest. Building it compresses
    every file again, so rebuild only when a source is newer than the manifest."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    sources = [ROOT / ".venv" / ".installed-stamp", *ROOT.glob("*/static")]
    for source in sources:
        files = source.rglob("*") if source.is_dir() else [source]
        if any(f.stat().st_mtime > built for f in files if f.is_file()):
            return False
    return True


def prepare(env: dict[str, str], mode: dict, workdir: Path) -> tuple[dict, Path]:
    out, cookies = workdir / "setup.json", workdir / "lookup-cookies.txt"
    pool = len(CONNECTIONS) * -(-LOOKUP_RPS_CEILING * mode["seconds"] // 20)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "prepare.py"),
            f"--cases={mode['cases']}",
            f"--services={mode['services']}",
            f"--runs={mode['runs']}",
            f"--lookup-users={pool}",
            f"--out={out}",
            f"--cookies={cookies}",
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(out.read_text()), cookies


def start_server(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "portal.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def stop_server(server: subprocess.Popen) -> None:
    """SIGINT: gunicorn's quick shutdown (SIGTERM would wait for idle keep-alive connections)."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def check_answers(target: Target, cookie: str) -> str:
    """A redirect to sign-in would count as success in wrk: make sure a GET answers 200.
    Returns why not ("" when it does), so one broken or very slow page cannot stop the run."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=CHECK_SECONDS)
    started = time.monotonic()
    try:
        connection.request("GET", target.path, headers={"Cookie": cookie} if cookie else {})
        status = connection.getresponse().status
    except OSError as error:
        return f"no answer within {CHECK_SECONDS} s ({error.__class__.__name__})"
    finally:
        connection.close()
    if status != 200:
        return f"answered {status} after {time.monotonic() - started:.1f} s"
    return ""


def settle(limit: float = 120) -> None:
    """wrk stops sending at the end of a run, but gunicorn still works through the requests it
    accepted: wait until a health check answers quickly, so they do not slow the next target."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=limit) as response:  # noqa: S310
                response.read()
        except OSError:
            pass
        if time.monotonic() - started < 0.25:
            return
        time.sleep(0.5)


def split_pool(cookies: Path, parts: int) -> list[Path]:
    lines = [line for line in cookies.read_text().splitlines() if line]
    size = len(lines) // parts
    files = []
    for n in range(parts):
        part = cookies.with_name(f"lookup-cookies-{n}.txt")
        part.write_text("\n".join(lines[n * size : (n + 1) * size]) + "\n")
        files.append(part)
    return files


def run_wrk(target: Target, connections: int, seconds: int, cookie: str, pool: Path | None) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    if target.method == "POST":
        command += ["-s", "bench/wrk_lookup.lua", BASE + target.path, "--"]
        command += [str(pool), str(threads), str(LOOKUPS_EACH), target.body, CSRF_COOKIE]
    else:
        command += ["-s", "bench/wrk_stats.lua"]
        command += ["-H", f"Cookie: {cookie}"] if cookie else []
        command += [BASE + target.path]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    stats = json.loads(re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE).group(1))
    rps = stats["requests"] / (stats["duration_us"] / 1e6) if stats["duration_us"] else 0.0
    return {
        "name": target.name,
        "connections": connections,
        "rps": rps,
        "p50_ms": stats["p50_us"] / 1000,
        "p95_ms": stats["p95_us"] / 1000,
        "p99_ms": stats["p99_us"] / 1000,
        "requests": stats["requests"],
        "non_2xx": stats["non_2xx"],
        "socket_errors": stats["socket_errors"],
    }


def failed(target: Target, connections: int, problem: str) -> dict:
    return {
        "name": target.name,
        "connections": connections,
        "rps": 0.0,
        "p50_ms": 0.0,
        "p95_ms": 0.0,
        "p99_ms": 0.0,
        "requests": 0,
        "non_2xx": 0,
        "socket_errors": 0,
        "problem": problem,
    }


LOOKUPS_EACH = 20  # marac.permissions.LOOKUPS_PER_HOUR (checked against prepare's figure)


def measure(env: dict[str, str], setup: dict, pool: Path, seconds: int) -> list[dict]:
    if setup["lookups_each"] != LOOKUPS_EACH:
        raise SystemExit("The lookup limit changed: update LOOKUPS_EACH in bench/run.py.")
    pools = split_pool(pool, len(CONNECTIONS))
    server = start_server(env)
    results = []
    try:
        for target in targets(setup):
            cookie = setup["cookies"].get(target.who, "")
            problem = check_answers(target, cookie) if target.method == "GET" else ""
            if problem:
                log(f"not measured: {target.name} {problem}")
                results += [failed(target, c, problem) for c in CONNECTIONS]
                continue
            for n, connections in enumerate(CONNECTIONS):
                log(f"wrk {target.name} at {connections} connection(s)")
                results.append(run_wrk(target, connections, seconds, cookie, pools[n]))
                settle()
    finally:
        stop_server(server)
    return results


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    cpu = re.search(r"model name\s+:\s+(.*)", Path("/proc/cpuinfo").read_text())
    load = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu.group(1) if cpu else platform.processor(),
        "memory_gb": total_kb / 1024 / 1024,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "load_before": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller data and shorter runs")
    parser.add_argument("--million", action="store_true", help="1,000,000 MARAC cases")
    parser.add_argument("--seconds", type=int, help="wrk duration per measurement")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--json", type=Path, help="also keep every raw figure here")
    args = parser.parse_args()
    mode = dict(MODES["quick" if args.quick else "full"])
    mode["name"] = "quick" if args.quick else "full"
    if args.million:
        mode["cases"] = 1_000_000
    if args.seconds:
        mode["seconds"] = args.seconds
    # Every step, the report renders' child processes included, uses this one database.
    os.environ.setdefault("BENCH_DATABASE_URL", QUICK_DATABASE if args.quick else DEFAULT_DATABASE)
    started = time.monotonic()
    about = machine()
    about["started"] = datetime.now(UTC).isoformat(timespec="seconds")
    log(f"{mode['name']} mode: {mode['cases']:,} MARAC cases, {mode['services']:,} services")
    env = prepare_database()
    with tempfile.TemporaryDirectory(prefix="vawg-bench-") as workdir:
        log("seeding and in-process measurements")
        setup, pool = prepare(env, mode, Path(workdir))
        log("wrk against gunicorn")
        results = measure(env, setup, pool, mode["seconds"])
    log("board report renders")
    renders = [report_render.render_in_child(size) for size in mode["reports"]]
    about["load_after"] = os.getloadavg()
    about["minutes"] = (time.monotonic() - started) / 60
    text = perfdoc.write(
        args.doc, about=about, mode=mode, setup=setup, results=results, renders=renders
    )
    if args.json:
        raw = {"about": about, "mode": mode, "setup": setup, "results": results}
        args.json.write_text(json.dumps({**raw, "renders": renders}, indent=1, default=str))
    print(text)
    log(f"wrote {args.doc} in {about['minutes']:.1f} minutes")


if __name__ == "__main__":
    main()
