#!/usr/bin/env bash
# Install what the tests need into ./.venv and run the whole suite (SQLite and PostgreSQL legs,
# real SeaweedFS). Extra arguments go to pytest, e.g. `bash tests/run.sh -k tokens`.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/bootstrap.sh

ensure_postgres() {
  local url="${SIPANSOS_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    return 0
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    else
      echo "PostgreSQL is needed for the tests ($url); install it or set SIPANSOS_TEST_POSTGRES_URL." >&2
      return 1
    fi
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432
  # A fresh cluster has no `test` database yet and may ask for a password on TCP.
  su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test" || true
}

ensure_chromium() {
  # End-to-end tests drive Debian's Chromium with Playwright (never `playwright install`).
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the end-to-end tests: apt-get install chromium" >&2
    return 1
  fi
}

bootstrap_venv "[test]"
ensure_chromium
if [[ "${SIPANSOS_TEST_DATABASES:-sqlite,postgresql}" == *postgresql* ]]; then
  ensure_postgres
fi
"$VENV/bin/ruff" check server tests migrations
"$VENV/bin/ruff" format --check server tests migrations
exec "$VENV/bin/pytest" "$@"
