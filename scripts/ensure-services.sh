#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer: start them when installed, install them with apt when
# missing and we are root; otherwise stop with a message naming the ways forward.
set -euo pipefail

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vawg_portal}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
# The server must also let DATABASE_URL's user in: ensure_database connects to `postgres`.
pg_accepts_us() { psql -w -Atqc 'SELECT 1' "${DATABASE_URL%/*}/postgres" >/dev/null 2>&1; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = "0" ]; }
give_up() {
  echo "ERROR: $1 is not running and cannot be started here." >&2
  echo "Set DATABASE_URL and REDIS_URL to servers you can reach, or use Docker: docker compose up." >&2
  exit 1
}
apt_install() {
  is_root || return 1
  command -v apt-get >/dev/null || return 1
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
pg_version() { ls /etc/postgresql | sort -V | tail -n 1; }
trust_local_postgres() {
  # Debian's pg_hba.conf asks for a password over TCP; the demo's DATABASE_URL has none.
  # Let the postgres role in from this machine only, marked so it is added once.
  local hba
  hba=/etc/postgresql/$(pg_version)/main/pg_hba.conf
  grep -q "vawg-portal" "$hba" || sed -i '1i host all postgres 127.0.0.1/32 trust # vawg-portal\nhost all postgres ::1/128 trust # vawg-portal' "$hba"
}

# Only manage local services: a DATABASE_URL / REDIS_URL elsewhere is the operator's business.
if [[ "$DATABASE_URL" =~ @(127\.0\.0\.1|localhost)(:5432)?/ ]]; then
  if ! pg_up; then
    if ! command -v pg_ctlcluster >/dev/null; then
      apt_install postgresql postgresql-client || give_up PostgreSQL
    fi
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      give_up PostgreSQL
    fi
    if is_root; then
      trust_local_postgres
      pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start || true
    else
      pg_ctlcluster "$(pg_version)" main start || true
    fi
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
    pg_up || give_up PostgreSQL
  fi
  # Already running (apt starts it on install, with Debian's password rule): let us in.
  if ! pg_accepts_us && is_root && ls /etc/postgresql/*/main/pg_hba.conf >/dev/null 2>&1; then
    trust_local_postgres
    pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main reload || true
    for _ in $(seq 1 10); do pg_accepts_us && break; sleep 1; done
  fi
  if ! pg_accepts_us; then
    echo "ERROR: PostgreSQL on 127.0.0.1:5432 is running but refuses DATABASE_URL's user." >&2
    echo "Set DATABASE_URL to a user and password it accepts (postgres://USER:PASSWORD@127.0.0.1:5432/vawg_portal)," >&2
    echo "point DATABASE_URL and REDIS_URL at servers you can reach, or use Docker: docker compose up." >&2
    exit 1
  fi
fi

if [[ "$REDIS_URL" =~ ://(127\.0\.0\.1|localhost)(:6379)? ]]; then
  if ! redis_up; then
    command -v redis-server >/dev/null || apt_install redis-server || give_up Redis
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/vawg-redis.log || give_up Redis
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
    redis_up || give_up Redis
  fi
fi
echo "PostgreSQL and Redis are running."
