#!/usr/bin/env bash
# Run the demo: database, demo data, web server, Celery worker and beat. Ctrl-C stops all.
set -euo pipefail
PY=.venv/bin/python
export DJANGO_DEBUG=1

$PY manage.py ensure_database
$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping the portal..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A portal worker -Q default,render --concurrency 2 --loglevel INFO &
pids+=($!)
.venv/bin/celery -A portal beat --loglevel INFO --schedule /tmp/vawg-celerybeat-schedule &
pids+=($!)
$PY manage.py runserver 127.0.0.1:8000 &
pids+=($!)
echo
echo "The portal is running at http://127.0.0.1:8000 (staff sign-in: /accounts/login/). Ctrl-C stops it."
wait -n "${pids[@]}"
