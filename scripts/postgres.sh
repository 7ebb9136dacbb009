#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1 for the test suite.
#   scripts/postgres.sh start|stop|url|running   (running: exit 0 when the server is up)
# initdb refuses to run as root, so as root the server runs as the OS user `postgres`.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDATA=${MICROCRED_PGDATA:-/tmp/microcred-test-pg}
PGPORT=${MICROCRED_PGPORT:-55433}

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  start)
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      rm -rf "$PGDATA" && mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
      [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
      as_pg "$PGBIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
      as_pg "cat >> '$PGDATA/postgresql.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    fi
    if ! as_pg "$PGBIN/pg_ctl -D '$PGDATA' status" >/dev/null 2>&1; then
      as_pg "$PGBIN/pg_ctl -D '$PGDATA' -l '$PGDATA/server.log' -w start >/dev/null"
    fi
    echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    as_pg "$PGBIN/pg_ctl -D '$PGDATA' -m fast -w stop >/dev/null" 2>/dev/null || true
    ;;
  url)
    echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  running)
    [ -s "$PGDATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl -D '$PGDATA' status" >/dev/null 2>&1
    ;;
  *) echo "usage: $0 start|stop|url|running" >&2; exit 2 ;;
esac
