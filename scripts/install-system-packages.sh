#!/usr/bin/env bash
# Debian packages the portal and its tests need: Chromium for browser tests, Pango and fonts
# for WeasyPrint, wrk for benchmarks, poppler for reading PDFs back, PostgreSQL and Redis, and
# python3-venv where the machine's python3 cannot make a virtualenv without it (Debian's own).
# Installs only what is missing, and only as root; otherwise says what to install.
set -euo pipefail

packages=(chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          wrk poppler-utils nodejs npm)
# PostgreSQL and Redis may run elsewhere (DATABASE_URL, REDIS_URL, Docker): installed here as
# root, but never demanded of anyone else; scripts/ensure-services.sh says what to do then.
service_packages=(postgresql postgresql-client redis-server)
# Debian's python3 keeps ensurepip (which `python3 -m venv` needs) in python3-venv.
python3 -c 'import ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)

is_missing() {
  ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
can_install() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; }

missing=()
for package in "${packages[@]}"; do
  # Node may come from elsewhere than Debian; only ask for it when there is none.
  if [[ "$package" == nodejs || "$package" == npm ]] && command -v node >/dev/null \
    && command -v npm >/dev/null; then
    continue
  fi
  if is_missing "$package"; then missing+=("$package"); fi
done
if can_install; then
  for package in "${service_packages[@]}"; do
    if is_missing "$package"; then missing+=("$package"); fi
  done
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! can_install; then
  echo "Missing Debian packages (install them, then run make again): ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
