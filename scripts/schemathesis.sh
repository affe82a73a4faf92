#!/usr/bin/env bash
# Fuzzes the reference server from its contract with schemathesis (PyPI):
#   scripts/schemathesis.sh
# Installs schemathesis into a virtualenv under .tools/ (once), builds the debug server,
# starts it with the demo content on a temporary SQLite file and a free port, signs in as
# the demo staff member, and runs `schemathesis run api/openapi.yaml` with the checks
# "no server errors" and "conforms to the document" (status code, content type, headers,
# body schema), a fixed number of examples per operation and a fixed seed. Exits non-zero
# on any failure. SCHEMATHESIS_EXAMPLES and SCHEMATHESIS_SEED override the defaults;
# SCHEMATHESIS_ARGS adds options (e.g. `--report ndjson --report-ndjson-path F`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "schemathesis: $*" >&2; }

# Pinned: the CLI's options changed between versions (`--base-url` became `--url`,
# `--hypothesis-max-examples` became `--max-examples`, …).
VERSION=4.32.5
VENV=.tools/schemathesis
ST="$VENV/bin/schemathesis"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-9457}"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance

. scripts/apt.sh

command -v curl >/dev/null || { say "installing curl"; apt_install curl; }

if ! "$ST" --version 2>/dev/null | grep -q "version $VERSION\$"; then
  say "installing schemathesis $VERSION into $VENV"
  python_venv "$VENV" "schemathesis==$VERSION"
  "$ST" --version >/dev/null
fi

say "building the server (debug)"
cargo build -q -p hromada-server
BIN=target/debug/hromada-server

DIR="$(mktemp -d /tmp/hromada-schemathesis.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)"
BASE="http://127.0.0.1:$PORT"

HROMADA_DEMO=1 \
  HROMADA_ADDR="127.0.0.1:$PORT" \
  DATABASE_URL="sqlite://$DIR/hromada.db?mode=rwc" \
  HROMADA_STATIC_DIR="$DIR/no-dist" \
  HROMADA_MEDIA_DIR="$DIR/media" \
  HROMADA_MAIL_DIR="$DIR/mail" \
  HROMADA_SECRET_KEY_FILE="$DIR/secret.key" \
  RUST_LOG="hromada_server=warn" NO_COLOR=1 \
  "$BIN" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 120); do
  curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/server.log" >&2; say "the server exited"; exit 1; }
  sleep 0.5
done
curl -fsS "$BASE/api/v1/health" >/dev/null || { cat "$DIR/server.log" >&2; say "the server did not start"; exit 1; }
say "server on $BASE (log: $DIR/server.log)"

# Signs in a demo account; prints its session token.
session() {
  curl -fsS -o /dev/null -D - -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" "$BASE/api/v1/auth/login" \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: hromada_session=\([^;]*\).*/\1/p' | head -n 1
}
STAFF="$(session staff@demo.example)"
[ -n "$STAFF" ] || { say "could not sign in as staff@demo.example"; exit 1; }

# The run's settings (schemathesis.toml in the folder it runs from): the live event
# stream is read for a second only (it never ends, and schemathesis reads a stream until
# its timeout); and the ids of demo objects, so that most requests for an object reach
# the rules instead of a 404 for a random id (known ids are used 4 times in 5, others
# are generated as usual).
BASE="$BASE" TOKEN="$STAFF" python3 - >"$DIR/schemathesis.toml" <<'PY'
import json, os, urllib.request

base, token = os.environ["BASE"] + "/api/v1", os.environ["TOKEN"]
K = "UA65100150000057191"


def get(path):
    req = urllib.request.Request(base + path, headers={"Cookie": "hromada_session=" + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def ids(path):
    v = get(path)
    items = v["items"] if isinstance(v, dict) else v
    return [i["id"] for i in items if isinstance(i, dict) and "id" in i][:3]


cycles = ids(f"/hromadas/{K}/budget-cycles")
known = {
    "petitions": ids(f"/hromadas/{K}/petitions"),
    "appeals": ids(f"/hromadas/{K}/appeals/inbox"),
    "news": ids(f"/hromadas/{K}/news"),
    "alerts": ids(f"/hromadas/{K}/alerts"),
    "budget-cycles": cycles,
    "budget-projects": [p for c in cycles[:2] for p in ids(f"/budget-cycles/{c}/projects")][:4],
    "polls": ids(f"/hromadas/{K}/polls"),
    "services": ids(f"/hromadas/{K}/services"),
    "answers": ids(f"/hromadas/{K}/answers"),
    "consultations": ids(f"/hromadas/{K}/consultations"),
    "appeal-categories": ids(f"/hromadas/{K}/appeal-categories"),
    "me/notifications": ids("/me/notifications"),
}
q = json.dumps
print("request-timeout = 30")
print()
print("[dictionaries.hromada]")
print("values = [%s]" % q(K))
for name, values in known.items():
    if values:
        print(f"[dictionaries.{q(name)}]")
        print("values = [%s]" % ", ".join(q(v) for v in values))
print()
print("[parameters]")
print('"path.katottg" = { dictionary = "hromada", probability = 0.8 }')
for name, values in known.items():
    if values:
        print()
        print("[[operations]]")
        print("include-path-regex = %s" % q("^/" + name + "/\\{id\\}"))
        print('parameters = { "path.id" = { dictionary = %s, probability = 0.8 } }' % q(name))
print()
print("[[operations]]")
print('include-operation-id = "liveEvents"')
print("request-timeout = 1")
PY

[ -n "${SCHEMATHESIS_SHOW_CONFIG:-}" ] && cat "$DIR/schemathesis.toml" >&2
SPEC="$PWD/api/openapi.yaml"
ST="$PWD/$ST"
run() {
  # From the temporary folder: schemathesis and Hypothesis keep their caches (failures
  # to replay first, examples) in the current folder; every run here starts afresh.
  (cd "$DIR" && "$ST" run "$SPEC" --url "$BASE/api/v1" \
    --checks "$CHECKS" \
    --max-examples "$EXAMPLES" --seed "$SEED" \
    --generation-database none \
    -H "X-Hromada-Client: web" \
    --no-color ${SCHEMATHESIS_ARGS:-} "$@")
}

started=$SECONDS
status=0
# Everything as the staff member of the demo hromada, except signing out, which would
# end the session the rest of the run uses, and the administrators' operations (run 2).
say "run 1: every operation but logout and admin, signed in as staff@demo.example"
run -H "Cookie: hromada_session=$STAFF" \
  --exclude-operation-id logout --exclude-tag admin \
  || status=$?
ADMIN="$(session admin@demo.example)"
[ -n "$ADMIN" ] || { say "could not sign in as admin@demo.example"; exit 1; }
say "run 2: the administrators' operations, signed in as admin@demo.example"
run -H "Cookie: hromada_session=$ADMIN" --include-tag admin || status=$?
# Signing out last, with a session of its own.
RESIDENT="$(session resident@demo.example)"
[ -n "$RESIDENT" ] || { say "could not sign in as resident@demo.example"; exit 1; }
say "run 3: logout, signed in as resident@demo.example"
run -H "Cookie: hromada_session=$RESIDENT" --include-operation-id logout || status=$?

sed 's/\x1b\[[0-9;]*m//g' "$DIR/server.log" >"$DIR/server.txt"
if grep -q ' ERROR ' "$DIR/server.txt"; then
  say "the server logged errors:"
  grep ' ERROR ' "$DIR/server.txt" | tail -n 20 >&2
  status=1
fi
say "finished in $((SECONDS - started)) s (seed $SEED, $EXAMPLES examples per operation)"
if [ "$status" -ne 0 ]; then
  say "FAILED"
  exit "$status"
fi
say "no failures"
