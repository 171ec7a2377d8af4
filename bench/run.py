"""Measure pages under gunicorn with wrk, as ratios of the one-query anchor in the same run."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"

# (name, path) measured beside the anchor; later issues add their pages here.
TARGETS: list[tuple[str, str]] = [
    ("anchor: fortunes (1 query)", "/bench/fortunes/"),
    ("health check (1 query)", "/healthz"),
    # Directory (issue 8): run bench/directory_search.py first to load 100,000 services.
    (
        "directory search page",
        "/find-support/?q=trauma+counselling&borough=hackney&type=st-counselling",
    ),
    ("ORUK /services?search=", "/api/oruk/services?search=trauma+counselling"),
]


# (name, path) served to a signed-in, second-factor-verified lead officer (bench/actions_data.py).
SIGNED_IN_TARGETS: list[tuple[str, str]] = [
    ("action plan, 300 actions", "/strategies/bench-plan-strategy/plan/"),
    ("my actions, 300 actions", "/my-actions/"),
]


@dataclass
class Result:
    name: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


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
    env = {**os.environ, **_read_env_file()}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        BENCHMARK_ANCHOR="1",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    return env


def seed_fortunes(env: dict[str, str]) -> None:
    code = (
        "import django; django.setup();"
        "from portal.models import Fortune;"
        "n = Fortune.objects.count();"
        "Fortune.objects.bulk_create([Fortune(message=f'Synthetic fortune number {i}.')"
        " for i in range(n, 12)])"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
    )


def migrate(env: dict[str, str]) -> None:
    """A fresh machine's database exists only once migrated: make sure it is."""
    for command in (["ensure_database"], ["migrate", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            check=True,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )


def signed_in_cookie(env: dict[str, str]) -> str:
    """Seed the 300-action plan (once) and return a verified session cookie for its officer."""
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "actions_data.py")],
        check=True,
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
    ).stdout
    return output.strip().splitlines()[-1]


def collect_static(env: dict[str, str]) -> None:
    """Production settings serve hashed static files from a manifest: build it first."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        check=True,
        cwd=ROOT,
        env=env,
    )


def check_signed_in(path: str, cookie: str) -> None:
    """A redirect to sign-in would count as success in wrk: make sure the page answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    status = connection.getresponse().status
    connection.close()
    if status != 200:
        raise SystemExit(f"{path} answered {status} to the signed-in benchmark session.")


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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(name: str, path: str, connections: int, seconds: int, cookie: str = "") -> Result:
    threads = min(connections, 2)
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *headers,
            BASE + path,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {
        p: _ms(v, u)
        for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return Result(
        name,
        connections,
        rps,
        percentiles.get("50", 0.0),
        percentiles.get("99", 0.0),
        int(non_2xx.group(1)) if non_2xx else 0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per measurement")
    args = parser.parse_args()
    env = server_environment()
    migrate(env)
    seed_fortunes(env)
    cookie = signed_in_cookie(env)
    collect_static(env)
    server = start_server(env)
    try:
        results = [run_wrk(name, path, c, args.seconds) for name, path in TARGETS for c in (1, 8)]
        for name, path in SIGNED_IN_TARGETS:
            check_signed_in(path, cookie)
            results += [run_wrk(name, path, c, args.seconds, cookie) for c in (1, 8)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    anchor = {r.connections: r.requests_per_second for r in results if r.name.startswith("anchor")}
    print(
        f"{'page':<32} {'conns':>5} {'req/s':>9} {'share of anchor':>16} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
    )
    for r in results:
        share = r.requests_per_second / anchor[r.connections] if anchor.get(r.connections) else 0
        print(
            f"{r.name:<32} {r.connections:>5} {r.requests_per_second:>9.1f} {share:>15.0%} "
            f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.non_2xx:>8}"
        )


if __name__ == "__main__":
    main()
