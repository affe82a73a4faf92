#!/usr/bin/env bash
# Benchmarks signing a petition: N verified residents, each signed in, and one collecting
# petition in a fresh SQLite database; the release server (profile `server`) on loopback;
# every resident signs once, over C keep-alive connections, as fast as the server answers
# (the driver is the example `bench_sign`). Prints the accepted signatures per second and
# the latency, then checks that the petition's count equals its signature rows (N + 1,
# with the author's).
#   scripts/bench-sign.sh [residents] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-20000}"
CONNS="${2:-32}"

cargo build --profile server -p hromada-server --bin hromada-server --example bench_sign
TARGET="${CARGO_TARGET_DIR:-target}/server"

DIR="$(mktemp -d /tmp/hromada-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export DATABASE_URL="sqlite://$DIR/hromada.db?mode=rwc"
export HROMADA_MEDIA_DIR="$DIR/media"
export HROMADA_MAIL_DIR="$DIR/mail"
export HROMADA_SECRET_KEY_FILE="$DIR/secret.key"
export HROMADA_ADDR="127.0.0.1:$PORT"
export HROMADA_STATIC_DIR="$DIR/no-app"
export RUST_LOG=warn

ID="$("$TARGET/examples/bench_sign" seed "$N" "$DIR/tokens")"
"$TARGET/hromada-server" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "bench-sign: $N residents sign petition $ID (POST /api/v1/petitions/$ID/signatures)"
"$TARGET/examples/bench_sign" run "127.0.0.1:$PORT" "$ID" "$DIR/tokens" "$CONNS"
"$TARGET/examples/bench_sign" check "$ID" "$N"
if grep -qiE "error|panic" "$DIR/server.log"; then
  echo "bench-sign: the server logged errors:" >&2
  grep -iE "error|panic" "$DIR/server.log" | head >&2
  exit 1
fi
