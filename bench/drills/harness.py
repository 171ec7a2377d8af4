"""What every drill needs: a private PostgreSQL cluster and Redis, the portal's processes
pointed at them, and a small HTTP client that carries a signed-in session.

Nothing here touches the machine's own PostgreSQL or Redis: each drill runs `initdb`/`pg_ctl`
in a temporary directory on a free port (as the `postgres` OS user when run as root) and its own
`redis-server` on another free port, and removes both at the end. The migrated and seeded data
directory is built once per migration set and copied for each drill (a golden copy), so a drill
starts in seconds; the keys that encrypted it are kept beside it.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
VENV_BIN = Path(sys.executable).parent
CACHE = Path(tempfile.gettempdir()) / "vawg-drills-golden"
DB_NAME = "vawg_drill"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres() -> dict:
    """Run PostgreSQL's tools as the `postgres` OS user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": pwd.getpwnam("postgres").pw_gid}


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        for item in [path, *path.rglob("*")]:
            os.lchown(item, entry.pw_uid, entry.pw_gid)


class PrivatePostgres:
    """A throwaway cluster: trust authentication on 127.0.0.1 only, on a free port."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.log_file = data_dir.parent / "postgres.log"

    def initdb(self) -> None:
        self.data_dir.mkdir(parents=True)
        _chown_to_postgres(self.data_dir.parent)
        subprocess.run(
            [PG_BIN / "initdb", "-D", self.data_dir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            + ["--locale=C.UTF-8", "--no-sync"],
            check=True,
            stdout=subprocess.DEVNULL,
            **_as_postgres(),
        )

    def start(self) -> None:
        _chown_to_postgres(self.data_dir.parent)
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir.parent}"
        subprocess.run(
            [PG_BIN / "pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-w", "-t", "60"]
            + ["-o", options, "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            **_as_postgres(),
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [PG_BIN / "pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "-t", "60", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_as_postgres(),
        )

    def url(self, name: str = DB_NAME) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def tool(self, name: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """Run psql, createdb, pg_dump... against this cluster."""
        kwargs.setdefault("check", True)
        return subprocess.run(
            [PG_BIN / name, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args],
            **kwargs,
        )

    def sql(self, query: str, database: str = DB_NAME, **params: object) -> str:
        """One query through psql; `:name` in it is replaced by the quoted parameter."""
        variables = [arg for key, value in params.items() for arg in ("-v", f"{key}={value}")]
        out = self.tool(
            "psql",
            "-d",
            database,
            "-AtX",
            "-v",
            "ON_ERROR_STOP=1",
            *variables,
            input=query,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()


class PrivateRedis:
    """A throwaway redis-server on a free port that keeps nothing on disk."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def _new_secrets() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def _golden_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")) + [ROOT / "bench/drills/seed.py"]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Stack:
    """One drill's private PostgreSQL and Redis, and the portal processes pointed at them."""

    name: str
    workdir: Path
    postgres: PrivatePostgres
    redis: PrivateRedis
    keys: dict[str, str]
    web_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def storage(self) -> Path:
        return self.workdir / "private"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "GUNICORN_"))
        }
        env.update(self.keys)
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DJANGO_DEBUG="0",
            DJANGO_ENV_FILE=str(self.workdir / "no.env"),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_LOG_LEVEL="WARNING",
            DATABASE_URL=self.postgres.url(),
            REDIS_URL=self.redis.url(),
            PRIVATE_STORAGE_ROOT=str(self.storage),
        )
        env.update(extra)
        return env

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("check", True)
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), **kwargs
        )

    def facts(self) -> dict:
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench/drills/seed.py"), "facts"],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout)

    def _spawn(self, name: str, command: list[str], **extra_env: str) -> subprocess.Popen:
        log_file = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(**extra_env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_web(self, workers: int = 2, threads: int = 4) -> None:
        self._spawn(
            "web",
            [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "portal.wsgi:application"],
            GUNICORN_BIND=f"127.0.0.1:{self.web_port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS=str(threads),
            GUNICORN_ACCESS_LOG=str(self.workdir / "access.log"),
        )
        wait_for(lambda: status_of(self.base + "/healthz") == 200, 60, "gunicorn to answer")

    def start_worker(self, *, visibility_timeout: int = 3600, concurrency: int = 1) -> None:
        self._spawn(
            "worker",
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "default,render"]
            + ["--pool", "prefork", "--concurrency", str(concurrency), "--loglevel", "WARNING"]
            + ["--without-heartbeat", "--without-mingle", "--without-gossip"],
            CELERY_VISIBILITY_TIMEOUT=str(visibility_timeout),
        )

    def start_beat(self) -> None:
        self._spawn(
            "beat",
            [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel", "WARNING"]
            + ["--schedule", str(self.workdir / "beat-schedule")],
        )

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


def _build_golden(target: Path) -> None:
    """initdb, migrate and seed once; later drills copy the stopped cluster's directory."""
    building = target.with_name(target.name + f".building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    os.chmod(building, 0o755)  # noqa: S103 - the postgres OS user must reach its cluster
    postgres = PrivatePostgres(building / "data")
    postgres.initdb()
    postgres.start()
    try:
        postgres.tool("createdb", DB_NAME)
        keys = _new_secrets()
        stack = Stack("golden", building, postgres, PrivateRedis(building), keys)
        log("building the golden drill database (migrate and seed, once)")
        stack.manage("migrate", "--noinput", "-v0", stdout=subprocess.DEVNULL)
        subprocess.run(
            [sys.executable, str(ROOT / "bench/drills/seed.py"), "seed"],
            cwd=ROOT,
            env=stack.env(),
            check=True,
        )
    finally:
        postgres.stop()
    (building / "keys.json").write_text(json.dumps(keys))
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)


_static_collected = False


def _collect_static(stack: Stack) -> None:
    """Production settings serve hashed static files from a manifest: build it once a run."""
    global _static_collected
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = [p for p in ROOT.glob("*/static/**/*") if p.is_file()]
    fresh = manifest.exists() and all(
        p.stat().st_mtime <= manifest.stat().st_mtime for p in sources
    )
    if not _static_collected and not fresh:
        stack.manage("collectstatic", "--noinput", "-v0")
    _static_collected = True


@contextmanager
def stack(name: str):
    """A private PostgreSQL (a copy of the golden cluster) and Redis for one drill."""
    golden = CACHE / _golden_key()
    if not (golden / "keys.json").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        os.chmod(CACHE, 0o755)  # noqa: S103 - the postgres OS user must reach its cluster
        _build_golden(golden)
    workdir = Path(tempfile.mkdtemp(prefix=f"vawg-drill-{name}-"))
    os.chmod(workdir, 0o755)  # noqa: S103 - the postgres OS user must reach its cluster
    shutil.copytree(golden / "data", workdir / "data", symlinks=True)
    (workdir / "private").mkdir()
    postgres = PrivatePostgres(workdir / "data")
    redis = PrivateRedis(workdir)
    keys = json.loads((golden / "keys.json").read_text())
    drill = Stack(name, workdir, postgres, redis, keys)
    try:
        postgres.start()
        redis.start()
        _collect_static(drill)
        yield drill
    finally:
        for process_name in list(drill.processes):
            drill.stop_process(process_name)
        redis.stop()
        postgres.stop("immediate")
        _keep_logs(workdir, name)
        shutil.rmtree(workdir, ignore_errors=True)


def _keep_logs(workdir: Path, name: str) -> None:
    """The processes' logs outlive the drill in bench/results/drills/ (git-ignored)."""
    kept = ROOT / "bench" / "results" / "drills" / name
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    for path in workdir.glob("*.log"):
        shutil.copy(path, kept / path.name)


def wait_for(check, seconds: float, what: str, interval: float = 0.2) -> float:
    """Poll `check` until it is true; return how long it took, or fail after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if check():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001, S110 - anything short of success means "not yet"
            pass
        time.sleep(interval)
    raise DrillFailed(f"timed out after {seconds:.0f} s waiting for {what}")


class DrillFailed(Exception):
    pass


def status_of(url: str) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
        return connection.getresponse().status
    finally:
        connection.close()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    set_cookies: list[str]
    content: bytes = b""

    def json(self):
        return json.loads(self.body)


# Gunicorn closes a kept-alive connection after 2 s idle (its `keepalive`): reconnect sooner.
IDLE_RECONNECT_SECONDS = 1.0


class Client:
    """Keep-alive HTTP to 127.0.0.1 with a session cookie and a CSRF cookie of our own.

    The session and CSRF cookies are `__Host-` and Secure under production settings, which a
    cookie jar would refuse to send over plain HTTP on loopback, so the client sends them itself.
    """

    def __init__(self, base: str, facts: dict | None = None, session: str = "") -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.csrf = secrets.token_hex(16)  # 32 characters, the unmasked form Django accepts
        self.cookies: dict[str, str] = {}
        if facts:
            self.cookies[facts["csrf_cookie_name"]] = self.csrf
            if session:
                self.cookies[facts["session_cookie_name"]] = session
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def request(self, method: str, path: str, *, form=None, data=None, timeout=30) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**dict(form), "csrfmiddlewaretoken": self.csrf}, True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data)
            headers["Content-Type"] = "application/json"
        if method != "GET":
            headers["X-CSRFToken"] = self.csrf
        if time.monotonic() - self.last_used > IDLE_RECONNECT_SECONDS:
            self.close()  # gunicorn may be closing it: never send a write into that race
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                text = content.decode("utf-8", errors="replace")
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt == 2 or method != "GET":
                    raise
                continue
            self.last_used = time.monotonic()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                text,
                response.headers.get_all("Set-Cookie") or [],
                content,
            )
        raise AssertionError("unreachable")

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Answer:
        return self.request("POST", path, **kwargs)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(title: str, rows: list[tuple[str, object]], failures: list[str]) -> bool:
    """Print a drill's figures and verdict; True when it passed."""
    print(f"\n== {title} ==")
    width = max(len(label) for label, _ in rows) if rows else 0
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if failures:
        for failure in failures:
            print(f"  FAIL: {failure}")
    print(f"  result: {'FAIL' if failures else 'pass'}")
    return not failures
