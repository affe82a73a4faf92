#!/usr/bin/env bash
# Benchmarks GET of a hromada's news feed: 10,000 published items in a fresh SQLite
# database, the release server (profile `server`) on loopback, 200 concurrent connections
# for 10 s with wrk (installed from Debian when missing). Prints the latency percentiles.
#   scripts/bench-news.sh [items] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS="${1:-10000}"
CONNS="${2:-200}"
SECS="${3:-10}"
THREADS="${WRK_THREADS:-1}"
KATOTTG=UA65100150000057191

if ! command -v wrk >/dev/null; then
  echo "bench-news: installing wrk (Debian package wrk)" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

cargo build --profile server -p hromada-server --bin hromada-server --example seed_news
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

"$TARGET/examples/seed_news" "$ITEMS"
"$TARGET/hromada-server" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

URL="http://127.0.0.1:$PORT/api/v1/hromadas/$KATOTTG/news"
echo "bench-news: $ITEMS items; GET $URL (first page, 20 items, $(curl -s "$URL" | wc -c) bytes)"
wrk -t2 -c10 -d2s "$URL" >/dev/null # warm up
wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$URL" | tee "$DIR/wrk.txt"
echo
awk '/Latency Distribution/{f=1;next} f && /%/{print "bench-news: p" $1 " = " $2} /requests in/{f=0}' "$DIR/wrk.txt" \
  | sed 's/%//' | grep -E "p(50|99) "
grep -E "Requests/sec" "$DIR/wrk.txt" | sed 's/^/bench-news: /'
