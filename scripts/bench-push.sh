#!/usr/bin/env bash
# `make bench`, part two: an urgent alert to many devices. The release server (profile
# `server`) on a fresh SQLite database sends a danger alert to BENCH_DEVICES (10,000)
# devices subscribed to one hromada, through the real local push service
# web-push-testing on loopback (it checks every VAPID signature and decrypts every
# message). Reports the time from the alert's creation to the last delivery, pushes per
# second and the server's CPU time per push, against the goal of 10 s; writes
# target/bench-push.md and target/bench-push.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
N="${BENCH_DEVICES:-10000}"
# How many web-push-testing processes receive (each is single-threaded and spends about
# a millisecond of CPU checking and decrypting a message: one alone would be what is
# measured).
SERVICES="${BENCH_PUSH_SERVICES:-2}"
OUT_MD=target/bench-push.md
OUT_JSON=target/bench-push.json
say() { echo "bench-push: $*" >&2; }

scripts/ensure-tools.sh test >/dev/null
cargo build --profile server -p hromada-server --bin hromada-server --example bench_push
BIN=target/server/hromada-server
EX=target/server/examples/bench_push

DIR="$(mktemp -d /tmp/hromada-bench-push.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ADDR="127.0.0.1:$(free_port)"
ORIGINS=""
PUSH_PIDS=""
# serve.js ends when its standard input closes: a FIFO this shell holds open.
mkfifo "$DIR/stdin"
exec 3<>"$DIR/stdin"
for i in $(seq "$SERVICES"); do
  port="$(free_port)"
  node scripts/push-service/serve.js "$port" <&3 >"$DIR/push-$i.log" 2>&1 &
  PIDS+=($!)
  PUSH_PIDS+="${PUSH_PIDS:+,}$!"
  ORIGINS+="${ORIGINS:+,}http://localhost:$port"
  for _ in $(seq 100); do
    curl -fs -X POST "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
    sleep 0.1
  done
done

export DATABASE_URL="sqlite://$DIR/bench.db?mode=rwc"
HROMADA_ADDR="$ADDR" HROMADA_STATIC_DIR="$DIR/no-dist" HROMADA_MEDIA_DIR="$DIR/media" \
  HROMADA_MAIL_DIR="$DIR/mail" HROMADA_SECRET_KEY_FILE="$DIR/secret.key" \
  HROMADA_PUSH_ORIGINS="$ORIGINS" RUST_LOG=hromada_server=warn \
  "$BIN" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for _ in $(seq 300); do
  curl -fs "http://$ADDR/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

say "subscribing $N devices and publishing the alert"
"$EX" "$ADDR" "$ORIGINS" "$N" "$SERVER_PID" "$PUSH_PIDS" "$OUT_JSON"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT_JSON" "$OUT_MD" "$LOAD" "$(nproc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ok = "met" if r["seconds_to_last_delivery"] <= r["goal_seconds"] and r["pass"] else "NOT met"
lines = [
    "# Alert spike: one urgent alert to every subscribed device",
    "",
    f"Release server on SQLite, {r['push_services']} web-push-testing processes on loopback sharing the devices, {sys.argv[4]} cores (load before: {sys.argv[3]}).",
    "",
    "| figure | value |",
    "| --- | --- |",
    f"| devices | {r['devices']:,} |",
    f"| delivered (sent / failed) | {r['sent']:,} / {r['failed']:,} |",
    f"| alert created to last delivery | {r['seconds_to_last_delivery']:.2f} s (goal {r['goal_seconds']} s: {ok}) |",
    f"| pushes per second | {r['pushes_per_second']:,.0f} |",
    f"| server CPU per push | {r['server_cpu_us_per_push']:,.0f} µs ({r['server_cpu_ms']:,.0f} ms in all) |",
    f"| push service CPU per push (checks VAPID, decrypts) | {r['push_service_cpu_us_per_push']:,.0f} µs ({r['push_service_cpu_ms']:,.0f} ms in all) |",
    f"| sample received exactly once | {r['sample_exactly_once']} of {r['sampled']} |",
]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
