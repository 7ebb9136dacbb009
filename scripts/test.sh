#!/usr/bin/env bash
# Run microcred's whole test suite: lint, types, and pytest on SQLite and PostgreSQL, with the
# browser tests in Debian's chromium. Installs what it needs (Python packages in .venv, and
# - when run as root - chromium and PostgreSQL from Debian, axe-core from npm), starts a
# throwaway PostgreSQL on 127.0.0.1 and stops it afterwards.
#   scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install --quiet --disable-pip-version-check -e '.[test]'

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: ${missing[*]} not installed; those tests will be skipped" >&2
  fi
fi
if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --silent --no-audit --no-fund || echo "note: npm ci failed; accessibility checks will be skipped" >&2
fi
if command -v npm >/dev/null 2>&1 && [ ! -d tests/interop/node_modules/@digitalbazaar/vc ]; then
  (cd tests/interop && npm ci --silent --no-audit --no-fund) ||
    echo "note: npm ci failed in tests/interop; interoperability tests will be skipped" >&2
fi

started_pg=""
if [ -z "${MICROCRED_TEST_POSTGRES_URL:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  scripts/postgres.sh running || started_pg=1   # stop only a server this run started
  MICROCRED_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
  export MICROCRED_TEST_POSTGRES_URL
fi
cleanup() { if [ -n "$started_pg" ]; then scripts/postgres.sh stop; fi; }
trap cleanup EXIT

ruff check .
ruff format --check .
mypy

status=0
python -m pytest -n auto "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "no tests were collected" >&2
  status=0
fi
exit "$status"
