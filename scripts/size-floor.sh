#!/usr/bin/env bash
# The smallest first load the home page could have if the app were split per page: the
# committed app with every route but the home page removed, built with the release profile,
# wasm-bindgen and `wasm-opt -Oz` as Trunk does, then measured raw and `brotli -q 11`.
# Everything the home page needs stays (the runtime, the router, both catalogs, the
# contract's serde, live events, offline), so this is a floor for per-page splitting, not
# a build to ship. Usage: scripts/size-floor.sh (about five minutes after `make app`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive HEAD | tar -x -C "$work"
python3 - "$work/src/app.rs" <<'EOF'
import sys
path = sys.argv[1]
s = open(path).read()
home = '<Route path=StaticSegment("") view=pages::home::Home />'
start = s.index(home) + len(home)
end = s.index('</Routes>')
open(path, 'w').write(s[:start] + '\n' + s[end:])
EOF
# The same target folder as the app: only this crate is compiled again (the next `make app`
# links its own module back).
(cd "$work" && CARGO_TARGET_DIR="$root/target" cargo build --release \
  -p hromada-web --target wasm32-unknown-unknown --quiet)
out="$work/out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name floor \
  "$root/target/wasm32-unknown-unknown/release/hromada-web.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$out/floor_bg.wasm" -o "$out/floor.wasm"
raw=$(stat -c %s "$out/floor.wasm")
br=$(brotli -q 11 -c "$out/floor.wasm" | wc -c)
js=$(brotli -q 11 -c "$out/floor.js" | wc -c)
printf 'home page alone: wasm %s B raw, %s B brotli; JS %s B brotli (budget for all: 204800 B)\n' \
  "$raw" "$br" "$js"
