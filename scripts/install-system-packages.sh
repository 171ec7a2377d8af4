#!/usr/bin/env bash
# Debian packages the portal and its tests need: Chromium for browser tests, Pango and fonts
# for WeasyPrint, wrk for benchmarks, poppler for reading PDFs back, PostgreSQL and Redis.
# Installs only what is missing, and only as root; otherwise says what to install.
set -euo pipefail

packages=(chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          wrk poppler-utils postgresql postgresql-client redis-server nodejs npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Node may come from elsewhere than Debian; only ask for it when there is none.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "Missing Debian packages (install them, then run make again): ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
