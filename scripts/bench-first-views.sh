#!/usr/bin/env bash
# `make bench`, part: the first load of every page kind a guest can open, on the release
# build and server with the demo content. For each page: its HTML with the first view (as
# the server sends it, brotli and gzip), and the files the page then loads (the JS, the
# wasm module, which carries both catalogs, and the CSS; brotli -q 11 and gzip -9, as the
# server's precompressed copies), and the sum. Writes target/bench-first-views.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "bench-first-views: $*" >&2; }
for t in curl brotli gzip python3; do
  command -v "$t" >/dev/null || { say "needs $t (make bench installs it)"; exit 1; }
done
[ -f dist/index.html ] || make app
make server >/dev/null

dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
HROMADA_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$dir/db.sqlite?mode=rwc" HROMADA_DEMO=1 \
  HROMADA_STATIC_DIR=dist HROMADA_MEDIA_DIR="$dir/media" HROMADA_MAIL_DIR="$dir/mail" \
  HROMADA_SECRET_KEY_FILE="$dir/secret.key" RUST_LOG=warn target/server/hromada-server >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fsS "$base/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$base/api/v1/health" >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

python3 - "$base" dist target/bench-first-views.md <<'PY'
import gzip, json, re, subprocess, sys, urllib.request
base, dist, out = sys.argv[1:4]
K = "UA65100150000057191"

def get(path, enc=None):
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": enc} if enc else {})
    with urllib.request.urlopen(req) as r:
        return r.read(), r.headers.get("Content-Encoding") or "identity"

def api(path):
    return json.loads(get("/api/v1" + path)[0])

first = lambda v: (v.get("items") if isinstance(v, dict) else v)[0]["id"]
cycle = first(api(f"/hromadas/{K}/budget-cycles"))
ids = {
    "news": first(api(f"/hromadas/{K}/news")),
    "petition": first(api(f"/hromadas/{K}/petitions")),
    "project": first(api(f"/budget-cycles/{cycle}/projects")),
    "poll": first(api(f"/hromadas/{K}/polls")),
    "service": first(api(f"/hromadas/{K}/services")),
    "answer": first(api(f"/hromadas/{K}/answers")),
}
pages = [
    ("start", "/"), ("sign-in", "/signin"), ("sign-up", "/signup"), ("hromada", f"/h/{K}"),
    ("news feed", f"/h/{K}/news"), ("news item", f"/news/{ids['news']}"),
    ("public appeals", f"/h/{K}/appeals"), ("petitions", f"/h/{K}/petitions"),
    ("petition", f"/petitions/{ids['petition']}"), ("budget", f"/h/{K}/budget"),
    ("cycle", f"/budget/{cycle}"), ("results", f"/budget/{cycle}/results"),
    ("project", f"/projects/{ids['project']}"),
    ("polls", f"/h/{K}/polls"), ("poll", f"/polls/{ids['poll']}"),
    ("services", f"/h/{K}/services"), ("service", f"/services/{ids['service']}"),
    ("answer", f"/answers/{ids['answer']}"),
]

# The files every page loads after its HTML, as index.html names them.
index = open(f"{dist}/index.html").read()
def asset(pattern):
    m = re.search(pattern, index)
    return m.group(1) if m else None
files = {
    "JS": asset(r'(hromada-web-[0-9a-f]{16}\.js)'),
    "wasm (catalogs inside)": asset(r'(hromada-web-[0-9a-f]{16}_bg\.wasm)'),
    "CSS": asset(r'(main-[0-9a-f]{16}\.css)'),
}
def sizes(name):
    raw = open(f"{dist}/{name}", "rb").read()
    br = subprocess.run(["brotli", "-q", "11", "-c"], input=raw, capture_output=True, check=True).stdout
    return {"raw": len(raw), "br": len(br), "gzip": len(gzip.compress(raw, 9))}
static = {k: sizes(v) for k, v in files.items() if v}

rows = []
for name, path in pages:
    body, _ = get(path)
    served_br, enc_br = get(path, "br")
    served_gz, enc_gz = get(path, "gzip")
    has = b'<main id="main"' in body
    rows.append({"page": name, "path": path, "first_view": has, "raw": len(body),
                 "br": len(served_br), "br_enc": enc_br, "gzip": len(served_gz), "gzip_enc": enc_gz})

n = lambda x: f"{x:,}".replace(",", " ")
L = ["# First load per page kind", "",
     f"Release build and server (`make app`, `make server`), demo content, {base}.", "",
     "The HTML as the server sends it, with the page's first view and preview; then the files",
     "the page loads once it is readable (the same for every page). Bytes.", "",
     "| page | first view | HTML raw | HTML br | HTML gzip | + JS, wasm, CSS (br) | total br |",
     "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
rest_br = sum(v["br"] for v in static.values())
for r in rows:
    L.append(f"| {r['page']} (`{r['path'].replace(K, '{K}')}`) | {'yes' if r['first_view'] else '**no**'} | "
             f"{n(r['raw'])} | {n(r['br'])} ({r['br_enc']}) | {n(r['gzip'])} ({r['gzip_enc']}) | "
             f"{n(rest_br)} | {n(r['br'] + rest_br)} |")
L += ["", "| file | raw | brotli -q 11 | gzip -9 |", "| --- | ---: | ---: | ---: |"]
for k, v in static.items():
    L.append(f"| {k} (`{files[k]}`) | {n(v['raw'])} | {n(v['br'])} | {n(v['gzip'])} |")
L += ["", "Both languages' catalogs are compiled into the wasm module (one of them is about 12.6 KB",
      "of it brotli: `scripts/bench-module-cuts.sh`, and README, \"Known limits\"); a page is",
      "readable from its HTML alone, before any of these has arrived.", ""]
missing = [r["page"] for r in rows if not r["first_view"]]
if missing:
    L.append(f"Pages without a first view: {', '.join(missing)}.")
open(out, "w").write("\n".join(L) + "\n")
print("\n".join(L))
sys.exit(1 if missing else 0)
PY
