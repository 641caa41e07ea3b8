#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for the tests and prints the URL to export:
#   eval "$(bash scripts/postgres.sh)"      # sets TEKIGO_TEST_POSTGRES_URL
# Installs Debian's postgresql package when it is missing. Stop it with: bash scripts/postgres.sh stop
set -euo pipefail
port="${TEKIGO_PG_PORT:-55432}"
dir="${TEKIGO_PG_DIR:-/tmp/tekigo-pg}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ "${1:-}" = "stop" ]; then
  [ -n "$bin" ] && su postgres -c "$bin/pg_ctl -D $dir/data stop -m fast" >&2 || true
  exit 0
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "installing postgresql from Debian…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if ! su postgres -c "$bin/pg_ctl -D $dir/data status" >/dev/null 2>&1; then
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres "$dir"
  su postgres -c "$bin/initdb -D $dir/data -U tekigo --auth=trust -E UTF8 --locale=C.UTF-8" >&2
  su postgres -c "$bin/pg_ctl -D $dir/data -l $dir/server.log -w start -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off'" >&2
fi
echo "export TEKIGO_TEST_POSTGRES_URL=postgres://tekigo@127.0.0.1:$port/postgres?sslmode=disable"
