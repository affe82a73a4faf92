#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster:
#   scripts/with-postgres.sh cargo test -p hromada-server
# Starts the cluster in a temporary folder on a free port (trust authentication, listening
# on 127.0.0.1 only), exports HROMADA_TEST_DATABASE_URL for the server's tests (each test
# creates its own database in it), runs the command, then stops and removes the cluster.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "with-postgres: installing PostgreSQL 15 (Debian package postgresql)" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# initdb refuses to run as root: run the cluster as the postgres user then.
AS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  AS=(runuser -u postgres --)
fi

DIR="$(mktemp -d /tmp/hromada-pg.XXXXXX)"
chmod 755 "$DIR"
[ "${#AS[@]}" -gt 0 ] && chown postgres "$DIR"

cleanup() {
  "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)"

"${AS[@]}" "$PG_BIN/initdb" -D "$DIR/data" --auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null \
  || { cat "$DIR/postgres.log" >&2; exit 1; }

export HROMADA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT (data in $DIR)" >&2
set +e
"$@"
STATUS=$?
set -e
exit "$STATUS"
