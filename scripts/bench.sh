#!/usr/bin/env bash
# `make bench`: what a first load weighs and how the server holds a large dataset under
# concurrent load. Prints a short report and writes it to target/bench-report.md and
# target/bench-report.json.
#
# 1. First load: the files dist/index.html references (the HTML, the JS, the wasm, the
#    CSS; sw.js listed apart, fetched after load), raw, gzip -9 and brotli -q 11, against
#    the 200 KB budget; then what the release server sends for each with
#    `Accept-Encoding: br` and `gzip`: bytes, Content-Encoding, Cache-Control (hashed
#    files must be `immutable` with a max-age of a year).
# 2. The release server (profile `server`) on loopback over a fresh SQLite database
#    seeded through the library (example `bench_seed`): 10,000 news items, 1,000
#    collecting petitions holding 100,000 signatures. Reads with wrk: the news feed's
#    first page, a petition, its signatures (random petitions). Writes with the example
#    `bench_sign`: 20,000 distinct signed-in verified residents each sign one petition,
#    spread over all of them. Then every petition's count must equal its rows and the
#    rows the seeded plus the accepted ones, or the command fails.
#
# Builds the server (and the app only when dist/ is missing); installs wrk and brotli
# from Debian when missing. Sizes are settable:
#   BENCH_NEWS=10000 BENCH_PETITIONS=1000 BENCH_SIGNATURES=100000 BENCH_SIGNS=20000
#   BENCH_CONNECTIONS=200 BENCH_SECONDS=10 BENCH_WRK_THREADS=1 BENCH_SIGN_CONNECTIONS=32
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

NEWS="${BENCH_NEWS:-10000}"
PETITIONS="${BENCH_PETITIONS:-1000}"
SIGNATURES="${BENCH_SIGNATURES:-100000}"
SIGNS="${BENCH_SIGNS:-20000}"
CONNS="${BENCH_CONNECTIONS:-200}"
SECS="${BENCH_SECONDS:-10}"
THREADS="${BENCH_WRK_THREADS:-1}"
SIGN_CONNS="${BENCH_SIGN_CONNECTIONS:-32}"
BUDGET=204800 # 200 KB
KATOTTG=UA65100150000057191
OUT_MD=target/bench-report.md
OUT_JSON=target/bench-report.json

say() { echo "bench: $*" >&2; }
die() {
  echo "bench: error: $*" >&2
  exit 1
}
T0=$SECONDS
phase_start=$SECONDS
PHASES=""
phase() { # phase NAME: records how long the phase since the last call took
  PHASES+="$1	$((SECONDS - phase_start))"$'\n'
  phase_start=$SECONDS
}

# --- Tools -----------------------------------------------------------------------------
for t in curl gzip python3 cargo; do
  command -v "$t" >/dev/null || die "$t is missing"
done
. scripts/apt.sh
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v brotli >/dev/null || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian)"
  apt_install "${missing[@]}" || die "could not install ${missing[*]} with apt-get"
fi

# --- Builds ----------------------------------------------------------------------------
if [ ! -f dist/index.html ]; then
  say "dist/ has no build of the app: make app"
  make app
fi
say "building the server (profile server) and the benchmark's examples"
cargo build --profile server -p hromada-server --bin hromada-server \
  --example bench_seed --example bench_sign
BIN="${CARGO_TARGET_DIR:-target}/server"
# What was built: the commit, and how many tracked files differed from it.
export BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
export BENCH_DIRTY="$(git status --porcelain --untracked-files=no 2>/dev/null | wc -l)"
phase "builds"

DIR="$(mktemp -d /tmp/hromada-bench.XXXXXX)"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Who else is using the CPU (another build, tests): noted in the report.
others() {
  # Processes of others that compete for the CPU: compilers, cargo, trunk, browsers.
  local n
  n="$(ps -eo comm= | grep -cE '^(rustc|cargo|trunk|wasm-opt|chromium|chrome|node|cc1|ld|postgres)$' || true)"
  echo "$n $(cut -d' ' -f1 /proc/loadavg)"
}
BUSY="start	$(others)"$'\n'

# --- 1. First load: sizes of the build -------------------------------------------------
# A copy, so that a rebuild of dist/ meanwhile changes nothing under our feet.
cp -r dist "$DIR/dist"
python3 - "$DIR/dist" >"$DIR/files.tsv" <<'EOF' || die "could not read dist/index.html"
# The local files index.html references, "first" (HTML, JS, wasm, CSS) or "after" (sw.js).
import re, sys, os
from html.parser import HTMLParser
d = sys.argv[1]
html = open(os.path.join(d, "index.html"), encoding="utf-8").read()
refs = []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and set(rel) & {"stylesheet", "modulepreload", "preload"}:
            refs.append(a.get("href"))
        if tag == "script" and a.get("src"):
            refs.append(a["src"])
p = P(); p.feed(html)
# The module script imports the JS and loads the wasm by path.
refs += re.findall(r"""['"](/[^'"\s]+\.(?:js|wasm|css))['"]""", html)
seen, out = set(), ["index.html"]
for r in refs:
    if not r or "://" in r:
        continue
    name = r.split("?")[0].lstrip("/")
    if name not in seen and name.rsplit(".", 1)[-1] in ("js", "wasm", "css"):
        seen.add(name); out.append(name)
for name in out:
    if not os.path.isfile(os.path.join(d, name)):
        sys.exit(f"dist/{name}, which index.html references, is missing (is dist/ being rebuilt?)")
    print(f"first\t{name}")
if os.path.isfile(os.path.join(d, "sw.js")):
    print("after\tsw.js")
EOF
: >"$DIR/sizes.tsv"
while IFS=$'\t' read -r kind name; do
  f="$DIR/dist/$name"
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -n -c <"$f" | wc -c)
  br=$(brotli -q 11 -c <"$f" | wc -c)
  printf '%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$raw" "$gz" "$br" >>"$DIR/sizes.tsv"
done <"$DIR/files.tsv"
say "sizes of the first load measured ($(grep -c '^first' "$DIR/sizes.tsv") files)"
phase "first-load sizes (gzip -9, brotli -q 11)"

# --- 2. The dataset ----------------------------------------------------------------------
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export DATABASE_URL="sqlite://$DIR/hromada.db?mode=rwc"
export HROMADA_MEDIA_DIR="$DIR/media"
export HROMADA_MAIL_DIR="$DIR/mail"
export HROMADA_SECRET_KEY_FILE="$DIR/secret.key"
export HROMADA_ADDR="127.0.0.1:$PORT"
export HROMADA_STATIC_DIR="$DIR/dist"
export RUST_LOG=warn
unset HROMADA_DEMO HROMADA_ALLOWED_ORIGINS

say "seeding $NEWS news items, $PETITIONS petitions, $SIGNATURES signatures, $SIGNS residents to sign"
"$BIN/examples/bench_seed" seed "$DIR" "$NEWS" "$PETITIONS" "$SIGNATURES" "$SIGNS" \
  || die "seeding failed"
phase "seeding the dataset"

"$BIN/hromada-server" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
up=""
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1; then
    up=1
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$up" ]; then
  tail -20 "$DIR/server.log" >&2
  die "the server did not answer on 127.0.0.1:$PORT"
fi
BASE="http://127.0.0.1:$PORT"

# --- 1b. What the server sends -----------------------------------------------------------
: >"$DIR/served.tsv"
while IFS=$'\t' read -r kind name; do
  path="/$name"
  [ "$name" = "index.html" ] && path="/"
  for enc in br gzip; do
    w=$(curl -sS -o /dev/null -D "$DIR/h.txt" -H "Accept-Encoding: $enc" \
      -w '%{http_code}\t%{size_download}\t%{time_total}' "$BASE$path") \
      || die "GET $path failed"
    ce=$(grep -i '^content-encoding:' "$DIR/h.txt" | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true)
    cc=$(grep -i '^cache-control:' "$DIR/h.txt" | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$enc" "$w" "${ce:-identity}" "${cc:--}" >>"$DIR/served.tsv"
  done
done <"$DIR/files.tsv"
phase "first load as served"

# --- 2a. Reads ---------------------------------------------------------------------------
cat >"$DIR/wrk.lua" <<'EOF'
-- GET BENCH_PATH, with "%s" replaced by a random line of BENCH_IDS; done() writes the
-- figures as JSON to BENCH_OUT.
local ids, path = {}, os.getenv("BENCH_PATH")
local enc = os.getenv("BENCH_ENCODING") or ""
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  local f = os.getenv("BENCH_IDS") or ""
  if f ~= "" then
    for line in io.lines(f) do ids[#ids + 1] = line end
  end
  math.randomseed(os.time() * 100 + (seed or 0))
  if enc ~= "" then wrk.headers["Accept-Encoding"] = enc end
end
function request()
  if #ids > 0 then
    return wrk.format("GET", string.format(path, ids[math.random(#ids)]))
  end
  return wrk.format("GET", path)
end
function done(s, latency, requests)
  local e = s.errors
  local f = io.open(os.getenv("BENCH_OUT"), "w")
  f:write(string.format(
    '{"requests": %d, "duration_s": %.3f, "bytes": %d, "requests_per_second": %.1f, '
      .. '"p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    s.requests, s.duration / 1e6, s.bytes, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
  f:close()
end
EOF
FIRST_ID="$(head -1 "$DIR/petitions.txt")"
read_bench() { # read_bench KEY PATH IDS ENCODING
  local key="$1" path="$2" ids="$3" enc="$4" sample
  sample="${path//%s/$FIRST_ID}"
  curl -fsS -H "Accept-Encoding: ${enc:-identity}" -o "$DIR/$key.body" "$BASE$sample" \
    || die "GET $sample failed"
  echo "$(stat -c %s "$DIR/$key.body")" >"$DIR/$key.size"
  say "reads: $key: GET $path, $CONNS connections, ${SECS} s"
  BENCH_PATH="$path" BENCH_IDS="$ids" BENCH_ENCODING="$enc" BENCH_OUT=/dev/null \
    wrk -t"$THREADS" -c10 -d2s -s "$DIR/wrk.lua" "$BASE" >/dev/null # warm up
  BUSY+="$key	$(others)"$'\n'
  BENCH_PATH="$path" BENCH_IDS="$ids" BENCH_ENCODING="$enc" BENCH_OUT="$DIR/$key.json" \
    wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --timeout 10s -s "$DIR/wrk.lua" "$BASE" \
    >"$DIR/$key.txt" || die "wrk failed on $path"
}
read_bench news "/api/v1/hromadas/$KATOTTG/news" "" ""
read_bench news_br "/api/v1/hromadas/$KATOTTG/news" "" "gzip, deflate, br"
read_bench petition "/api/v1/petitions/%s" "$DIR/petitions.txt" ""
read_bench signatures "/api/v1/petitions/%s/signatures" "$DIR/petitions.txt" ""
phase "reads (wrk)"

# --- 2b. Writes --------------------------------------------------------------------------
BUSY+="signing	$(others)"$'\n'
"$BIN/examples/bench_sign" plan "127.0.0.1:$PORT" "$DIR/plan.txt" "$SIGN_CONNS" "$DIR/sign.json" \
  >&2 || die "the write benchmark failed"
phase "writes (bench_sign)"
stop_server

# --- 2c. The check -----------------------------------------------------------------------
ACCEPTED="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accepted"])' "$DIR/sign.json")"
CHECK_OK=1
"$BIN/examples/bench_seed" check "$((SIGNATURES + ACCEPTED))" "$DIR/check.json" >&2 || CHECK_OK=0
[ -f "$DIR/check.json" ] || die "the check wrote nothing"
SERVER_ERRORS="$(grep -ciE "error|panic" "$DIR/server.log" || true)"
grep -iE "error|panic" "$DIR/server.log" | head -5 >"$DIR/server-errors.txt" || true
phase "check"

# --- Report ------------------------------------------------------------------------------
mkdir -p target
export BENCH_DATE="$(date -u +%Y-%m-%d)"
export BENCH_NPROC="$(nproc)"
export BENCH_CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
export BENCH_RAM_KB="$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
export BENCH_PHASES="$PHASES" BENCH_BUSY="$BUSY" BENCH_TOTAL_S="$((SECONDS - T0))"
export BENCH_CONNS="$CONNS" BENCH_SECS="$SECS" BENCH_THREADS="$THREADS" BENCH_SIGN_CONNS="$SIGN_CONNS"
export BENCH_BUDGET="$BUDGET" BENCH_SERVER_ERRORS="$SERVER_ERRORS"
REPORT_RC=0
python3 - "$DIR" "$OUT_MD" "$OUT_JSON" <<'EOF' || REPORT_RC=$?
import json, os, re, sys
d, out_md, out_json = sys.argv[1:4]
E = os.environ
def tsv(name):
    return [l.rstrip("\n").split("\t") for l in open(os.path.join(d, name)) if l.strip()]
def jl(name):
    return json.load(open(os.path.join(d, name)))
def kb(n):
    return f"{n / 1024:,.1f} KB"
def num(n):
    return f"{n:,.0f}"
budget = int(E["BENCH_BUDGET"])

# First load.
files = [{"file": n, "part": k, "raw": int(r), "gzip": int(g), "brotli": int(b)}
         for k, n, r, g, b in tsv("sizes.tsv")]
served = {}
for k, n, enc, code, size, secs, ce, cc in tsv("served.tsv"):
    served.setdefault(n, {})[enc] = {"status": int(code), "bytes": int(size), "seconds": float(secs),
                                     "content_encoding": ce, "cache_control": cc}
def hashed(name):
    return re.search(r"-[0-9a-f]{16}(_bg)?\.[a-z]+$", name) is not None
def long_immutable(cc):
    m = re.search(r"max-age=(\d+)", cc)
    return "immutable" in cc and m is not None and int(m.group(1)) >= 31536000
first = [f for f in files if f["part"] == "first"]
total = {c: sum(f[c] for f in first) for c in ("raw", "gzip", "brotli")}
total_served = {e: sum(served[f["file"]][e]["bytes"] for f in first) for e in ("br", "gzip")}
cache_ok = all(long_immutable(served[f["file"]]["br"]["cache_control"]) for f in files if hashed(f["file"]))
status_ok = all(v["status"] == 200 for s in served.values() for v in s.values())
verdict = lambda n: "PASS" if n <= budget else "FAIL"

# Load.
reads = {}
labels = {
    "news": "news feed, first page (`GET /api/v1/hromadas/{katottg}/news`)",
    "news_br": "the same, asking for compression as a browser does (`Accept-Encoding: gzip, deflate, br`)",
    "petition": "a petition (`GET /api/v1/petitions/{id}`, random of all)",
    "signatures": "its signatures, first page (`GET /api/v1/petitions/{id}/signatures`)",
}
for k in labels:
    r = jl(k + ".json")
    r["response_bytes"] = int(open(os.path.join(d, k + ".size")).read())
    reads[k] = r
sign = jl("sign.json")
check = jl("check.json")
seed = jl("seed.json")
read_errors = sum(sum(r["errors"].values()) for r in reads.values())

phases = [l.split("\t") for l in E["BENCH_PHASES"].splitlines() if l]
busy = [l.split("\t") for l in E["BENCH_BUSY"].splitlines() if l]
busy_max = max(int(b[1].split()[0]) for b in busy)
load_max = max(float(b[1].split()[1]) for b in busy)
ram_gb = int(E["BENCH_RAM_KB"]) / 1024 / 1024
machine = f"{E['BENCH_NPROC']} cores ({E['BENCH_CPU']}), {ram_gb:.0f} GB RAM"

report = {
    "date": E["BENCH_DATE"],
    "commit": E["BENCH_COMMIT"], "files_changed": int(E["BENCH_DIRTY"]),
    "machine": {"nproc": int(E["BENCH_NPROC"]), "cpu": E["BENCH_CPU"], "ram_gb": round(ram_gb, 1),
                "busy": [{"when": b[0], "other_processes": int(b[1].split()[0]),
                          "load_average": float(b[1].split()[1])} for b in busy]},
    "first_load": {
        "budget_bytes": budget, "files": files, "total": total,
        "verdict_brotli": verdict(total["brotli"]), "verdict_gzip": verdict(total["gzip"]),
        "served": served, "served_total": total_served,
        "verdict_served_br": verdict(total_served["br"]),
        "hashed_files_cached_immutable": cache_ok,
    },
    "dataset": seed,
    "reads": {"connections": int(E["BENCH_CONNS"]), "seconds": int(E["BENCH_SECS"]),
              "wrk_threads": int(E["BENCH_THREADS"]), **reads},
    "writes": sign,
    "check": check,
    "server_log_errors": int(E["BENCH_SERVER_ERRORS"]),
    "phases_seconds": {p[0]: int(p[1]) for p in phases},
    "total_seconds": int(E["BENCH_TOTAL_S"]),
}
report["pass"] = bool(check["pass"] and read_errors == 0 and report["server_log_errors"] == 0
                      and status_ok)
json.dump(report, open(out_json, "w"), indent=2, ensure_ascii=False)

L = []
L.append(f"# Hromada benchmark, {E['BENCH_DATE']}")
L.append("")
code = f"commit {E['BENCH_COMMIT']}" + (
    f" with {E['BENCH_DIRTY']} files changed in the working tree" if E["BENCH_DIRTY"] != "0" else "")
L.append(f"Machine: {machine}. Built from {code}. " + (
    f"Other processes were competing for the CPU (up to {busy_max} compilers, browsers or "
    f"servers of others; load average up to {load_max:.1f}): figures are lower than on an idle machine."
    if busy_max > 0 or load_max > 1.0 else "Nothing else was running beside it."))
L.append("")
L.append(f"## First load (budget 200 KB = {budget:,} bytes compressed)")
L.append("")
L.append("| file | raw | gzip -9 | brotli -q 11 | served br | served gzip | Cache-Control |")
L.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
def row(f):
    s = served[f["file"]]
    enc = lambda e: f"{num(s[e]['bytes'])} ({s[e]['content_encoding']}, {s[e]['seconds']:.2f} s)"
    return (f"| {f['file']} | {num(f['raw'])} | {num(f['gzip'])} | {num(f['brotli'])} | "
            f"{enc('br')} | {enc('gzip')} | `{s['br']['cache_control']}` |")
for f in first:
    L.append(row(f))
L.append(f"| **first load** | **{num(total['raw'])}** | **{num(total['gzip'])}** | "
         f"**{num(total['brotli'])}** | **{num(total_served['br'])}** | **{num(total_served['gzip'])}** | |")
for f in files:
    if f["part"] == "after":
        L.append(row(f).replace(f"| {f['file']} |", f"| {f['file']} (after load) |", 1))
L.append("")
L.append(f"- Budget with brotli -q 11: {kb(total['brotli'])} — **{verdict(total['brotli'])}**; "
         f"with gzip -9: {kb(total['gzip'])} — **{verdict(total['gzip'])}**; as the server sends it "
         f"(br): {kb(total_served['br'])} — **{verdict(total_served['br'])}**.")
L.append(f"- Hashed files `immutable` with max-age ≥ 1 year: **{'PASS' if cache_ok else 'FAIL'}**. "
         "Byte counts in bytes; served sizes are what curl received, with the time it took.")
L.append("")
L.append(f"## Server under load")
L.append("")
L.append(f"Release server (profile `server`), SQLite, loopback. Dataset: {num(seed['news'])} news items, "
         f"{num(seed['petitions'])} collecting petitions holding {num(seed['signatures'])} signatures, "
         f"{num(seed['residents'])} residents (seeded in {sum(seed['seconds'].values()):.0f} s).")
L.append("")
L.append(f"Reads: wrk, {E['BENCH_CONNS']} connections, {E['BENCH_THREADS']} thread, {E['BENCH_SECS']} s each.")
L.append("")
L.append("| read | response | p50 | p99 | requests/s | errors |")
L.append("| --- | ---: | ---: | ---: | ---: | ---: |")
for k, label in labels.items():
    r = reads[k]
    L.append(f"| {label} | {num(r['response_bytes'])} B | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
             f"{num(r['requests_per_second'])} | {sum(r['errors'].values())} |")
L.append("")
L.append(f"Writes: {num(sign['requests'])} distinct signed-in verified residents each sign one of the "
         f"{num(sign['petitions'])} petitions (`POST /api/v1/petitions/{{id}}/signatures`), over "
         f"{sign['connections']} keep-alive connections (example `bench_sign`).")
L.append("")
L.append("| write | accepted | p50 | p99 | max | accepted/s |")
L.append("| --- | ---: | ---: | ---: | ---: | ---: |")
L.append(f"| sign a petition | {num(sign['accepted'])} of {num(sign['requests'])} | {sign['p50_ms']:.1f} ms | "
         f"{sign['p99_ms']:.1f} ms | {sign['max_ms']:.1f} ms | {num(sign['accepted_per_second'])} |")
L.append("")
L.append(f"Check: {check['petitions']} petitions, {check['mismatched_petitions']} whose count differs "
         f"from its rows, {check['petitions_with_gaps']} with gaps in the numbering; "
         f"{num(check['signature_rows'])} rows = {num(seed['signatures'])} seeded + "
         f"{num(sign['accepted'])} accepted (expected {num(check['expected_rows'])}); counts sum to "
         f"{num(check['counts_sum'])} — **{'PASS' if check['pass'] else 'FAIL'}**.")
if report["server_log_errors"]:
    L.append("")
    L.append(f"The server logged {report['server_log_errors']} errors:")
    L.append("")
    L.append("```")
    L.append(open(os.path.join(d, "server-errors.txt")).read().rstrip())
    L.append("```")
L.append("")
L.append("Durations: " + ", ".join(f"{p[0]} {p[1]} s" for p in phases) + f"; total {E['BENCH_TOTAL_S']} s.")
L.append("")
open(out_md, "w").write("\n".join(L))
print("\n".join(L))
sys.exit(0 if report["pass"] else 3)
EOF
case "$REPORT_RC" in
  0 | 3) echo "bench: report written to $OUT_MD and $OUT_JSON in $((SECONDS - T0)) s" >&2 ;;
  *) die "could not write the report" ;;
esac
[ "$CHECK_OK" = 1 ] || die "the check failed: the petitions' counts and their signature rows disagree"
[ "$REPORT_RC" = 0 ] || die "read errors, failed requests or server errors (see the report)"
