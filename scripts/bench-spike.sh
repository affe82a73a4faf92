#!/usr/bin/env bash
# `make bench`: the alert spike. When the sirens sound a whole city opens the app at once.
# Three release server processes (profile `server`) on one throwaway PostgreSQL database
# (scripts/with-postgres.sh) behind nginx with the project's proxy settings
# (deploy/nginx/hromada-proxy.conf); the load client (example `bench_spike`) holds N
# (10,000) event streams open, each its own TCP connection, reads the public news feed
# meanwhile, then publishes one danger alert and times its arrival on every stream.
# Reports the time until 50 %, 99 % and 100 % of the streams have it (goal: 99 % within
# 2 s), the memory per open stream and the feed's requests per second; writes
# target/bench-spike.md.
#   scripts/bench-spike.sh [streams]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "bench-spike: $*" >&2; }

INNER=0
if [ "${1:-}" = "--under-postgres" ]; then
  INNER=1
  shift
fi
N="${1:-10000}"
case "$N" in '' | *[!0-9]*) say "the stream count must be a number: $N"; exit 2 ;; esac
OUT_MD=target/bench-spike.md
BIN=target/server/hromada-server
EX=target/server/examples/bench_spike
NGINX=/usr/sbin/nginx

if [ "$INNER" = 0 ]; then
  [ -x "$NGINX" ] || scripts/ensure-tools.sh test
  cargo build --profile server -p hromada-server --bin hromada-server --example bench_spike
  exec scripts/with-postgres.sh "$0" --under-postgres "$N"
fi

# Each stream is a file descriptor in the load client and two in nginx.
ulimit -n "$(ulimit -Hn)"
LIMIT="$(ulimit -n)"
if [ "$LIMIT" -lt $((N + 1000)) ]; then
  say "warning: only $LIMIT open files allowed (ulimit -Hn); $N streams need about $((N + 1000)) in the load client"
fi
: "${HROMADA_TEST_DATABASE_URL:?run under scripts/with-postgres.sh}"
STARTED_AT=$SECONDS

DIR="$(mktemp -d /tmp/hromada-bench-spike.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_health() {
  for _ in $(seq 600); do
    curl -fs "http://$1/api/v1/health" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { say "the process on $1 exited:"; cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  say "nothing answered on $1 within 60 s"; cat "$3" >&2; exit 1
}

# The server processes: the first loads the demo into the empty database, then the others.
SERVER_PIDS=()
UPSTREAMS=()
for i in 1 2 3; do
  addr="127.0.0.1:$(free_port)"
  DATABASE_URL="$HROMADA_TEST_DATABASE_URL" HROMADA_ADDR="$addr" HROMADA_DEMO=1 \
    HROMADA_TRUSTED_PROXIES=127.0.0.1 HROMADA_STATIC_DIR="$DIR/no-app" \
    HROMADA_MEDIA_DIR="$DIR/media" HROMADA_MAIL_DIR="$DIR/mail" \
    HROMADA_SECRET_KEY_FILE="$DIR/secret.key" RUST_LOG=warn \
    "$BIN" >"$DIR/server-$i.log" 2>&1 &
  PIDS+=($!)
  SERVER_PIDS+=($!)
  UPSTREAMS+=("$addr")
  if [ "$i" = 1 ]; then wait_health "$addr" "$!" "$DIR/server-$i.log"; fi
done
for i in 2 3; do
  wait_health "${UPSTREAMS[$((i - 1))]}" "${SERVER_PIDS[$((i - 1))]}" "$DIR/server-$i.log"
done

# nginx: two workers (one a core), each allowed as many connections as open files (the
# hard limit: 20,000 here), a stream being two of them (the client's and the upstream
# one). `reuseport` gives each worker a listening socket of its own, so the kernel shares
# the streams out evenly (without it the split is left to whichever worker wakes first,
# and one worker holding most of 10,000 streams would run out of files).
NG="$DIR/nginx"
mkdir -p "$NG/temp"
chmod 777 "$NG" "$NG/temp" # the workers run as nobody when this runs as root
NGINX_ADDR="127.0.0.1:$(free_port)"
SERVERS=""
for u in "${UPSTREAMS[@]}"; do SERVERS+="        server $u max_fails=1 fail_timeout=2s;"$'\n'; done
cat >"$NG/nginx.conf" <<EOF
worker_processes 2;
worker_rlimit_nofile $LIMIT;
error_log $NG/error.log warn;
pid $NG/nginx.pid;
events { worker_connections $LIMIT; }
http {
    access_log off;
    client_body_temp_path $NG/temp/body;
    proxy_temp_path $NG/temp/proxy;
    fastcgi_temp_path $NG/temp/fastcgi;
    uwsgi_temp_path $NG/temp/uwsgi;
    scgi_temp_path $NG/temp/scgi;
    upstream hromada {
        least_conn;
$SERVERS        keepalive 64;
    }
    server {
        listen $NGINX_ADDR backlog=4096 reuseport;
        include $PWD/deploy/nginx/hromada-proxy.conf;
    }
}
EOF
"$NGINX" -e "$NG/error.log" -p "$NG" -c "$NG/nginx.conf" -g 'daemon off;' >"$NG/out.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_health "$NGINX_ADDR" "$NGINX_PID" "$NG/error.log"

KATOTTG=UA65100150000057191 # hromada_server::demo::DEMO_HROMADA
say "$N streams through nginx ($NGINX_ADDR) to 3 processes (${UPSTREAMS[*]})"
SERVER_LIST="$(IFS=,; echo "${SERVER_PIDS[*]}")"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
"$EX" run "$NGINX_ADDR" "$KATOTTG" "$N" "$SERVER_LIST" "$NGINX_PID" "$DIR/spike.json"

# What nginx and the servers complained about, if anything.
NGINX_ERRORS="$(grep -cE '\[(error|crit|alert|emerg)\]' "$NG/error.log" || true)"
if [ "$NGINX_ERRORS" != 0 ]; then
  say "nginx logged $NGINX_ERRORS errors, e.g.:"
  grep -E '\[(error|crit|alert|emerg)\]' "$NG/error.log" | head -5 >&2
fi
SERVER_ERRORS="$(cat "$DIR"/server-*.log | grep -ciE 'error|panic' || true)"
if [ "$SERVER_ERRORS" != 0 ]; then
  say "the servers logged $SERVER_ERRORS errors, e.g.:"
  cat "$DIR"/server-*.log | grep -iE 'error|panic' | head -5 >&2
fi

python3 - "$DIR/spike.json" "$OUT_MD" "$(nproc)" "$LOAD" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$NGINX_ERRORS" "$SERVER_ERRORS" "$((SECONDS - STARTED_AT))" <<'PY'
import datetime, json, sys
r = json.load(open(sys.argv[1]))
out, cores, load, commit, nginx_errors, server_errors, secs = sys.argv[2:]
n = r["streams"]

def t(key):
    v = r[key]
    return "not reached" if v is None else f"{v:,.0f} ms"

met = "met" if r["goal_met"] else "NOT met"
p99 = t("p99_ms")
kib = lambda b: f"{b / 1024:.1f} KiB"
mib = lambda k: f"{k / 1024:.0f} MiB"
others = ", ".join(f"{s}: {c}" for s, c in r["feed_other_statuses"].items()) or "none"
lost = "; ".join(f"{c} × {e}" for e, c in {**r["open_errors"], **r["drop_reasons"]}.items())
lines = [
    "# Alert spike: the sirens sound and the whole city opens the app",
    "",
    f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {cores} cores (load before: {load}).",
    f"3 release server processes (profile `server`) on one PostgreSQL 15 database, behind nginx "
    f"(2 workers, deploy/nginx/hromada-proxy.conf, least_conn); one load client on the same machine "
    f"holding {n:,} event streams (`GET /api/v1/hromadas/{{k}}/events`), each its own TCP connection; "
    f"then one danger alert published through nginx (`POST /api/v1/hromadas/{{k}}/alerts`).",
    "",
    "| figure | value |",
    "| --- | --- |",
    f"| streams open (before the alert) | {r['opened']:,} of {n:,} in {r['open_seconds']:.1f} s, 500 at a time "
    f"({r['open_retried']} needed another attempt, {r['open_failed']} failed, {r['dropped_before_alert']} ended before the alert) |",
    f"| alert POST answered (times below from just before it was sent) | {r['post_status']} in {r['post_ms']:,.0f} ms |",
    f"| streams with the alert | {r['received']:,} of {n:,} ({r['missing']:,} never within {r['timeout_s']} s) |",
    f"| first stream has it | {t('first_ms')} |",
    f"| **50 %** have it | {t('p50_ms')} |",
    f"| **99 %** have it | {t('p99_ms')} |",
    f"| **100 %** have it | {t('p100_ms')} |",
    f"| server memory per open stream (3 processes' RSS) | {kib(r['server_bytes_per_stream'])} "
    f"({mib(r['servers_rss_before_kib'])} → {mib(r['servers_rss_open_kib'])}) |",
    f"| nginx memory per open stream (master + workers' RSS) | {kib(r['nginx_bytes_per_stream'])} "
    f"({mib(r['nginx_rss_before_kib'])} → {mib(r['nginx_rss_open_kib'])}) |",
    f"| load client memory with the streams open | {mib(r['client_rss_open_kib'])} |",
    f"| open files with the streams open | servers {r['server_fds_open']}, nginx workers {r['nginx_worker_fds_open']} |",
    f"| news feed read during the streams (`GET /api/v1/hromadas/{{k}}/news`, through nginx) | "
    f"**{r['feed_per_second']:,.0f} requests/s** over {r['feed_connections']} keep-alive connections for {r['feed_seconds']:.0f} s "
    f"({r['feed_requests']:,} requests of {r['feed_bytes_per_response']:,.0f} bytes; other statuses: {others}; "
    f"errors: {r['feed_errors']}) |",
    f"| feed latency | p50 {r['feed_p50_ms']:.1f} ms, p99 {r['feed_p99_ms']:.1f} ms, max {r['feed_max_ms']:.1f} ms |",
    f"| errors logged | nginx {nginx_errors}, servers {server_errors} |",
    "",
    f"Goal: 99 % of the streams have the alert within {r['goal_ms'] / 1000:.0f} s of the POST: **{met}** ({p99}).",
    "",
    "Everything shares the machine's cores: the load client, nginx, the three processes and PostgreSQL.",
]
if lost:
    lines += ["", f"Streams lost: {lost}."]
lines += ["", f"The run took {secs} s after the build."]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
