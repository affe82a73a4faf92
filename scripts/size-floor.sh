#!/usr/bin/env bash
# Two floors under the first load (README, "Known limits"), each built with the release
# profile, wasm-bindgen and `wasm-opt -Oz` as Trunk does, then measured raw and
# `brotli -q 11`:
# 1. the framework alone: the smallest app built like this one (scripts/floor/main.rs: Leptos
#    0.8 with a router, one `LocalResource` loading JSON with gloo-net and serde, drawn in
#    `<Suspense>` and `<ErrorBoundary>`), at the versions of Cargo.lock;
# 2. the home page alone: the committed app with every route but the home page removed.
#    Everything the home page needs stays (the runtime, the router, both catalogs, the
#    contract's serde, live events, offline), so this is a floor for per-page splitting.
# Neither is a build to ship. Usage: scripts/size-floor.sh (about two minutes after
# `make app`; both build into the app's target/, so the next `make app` links again).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
budget=204800

measure() { # name, wasm from rustc, label
  local out="$work/out-$1"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$1" "$2"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$out/$1_bg.wasm" -o "$out/$1.wasm"
  local raw br js
  raw=$(stat -c %s "$out/$1.wasm")
  br=$(brotli -q 11 -c "$out/$1.wasm" | wc -c)
  js=$(brotli -q 11 -c "$out/$1.js" | wc -c)
  printf '%s: wasm %s B raw, %s B brotli; JS %s B brotli; together %s%% of the budget (%s B)\n' \
    "$3" "$raw" "$br" "$js" "$(( (br + js) * 100 / budget ))" "$budget"
}

# 1. The framework alone, a crate of its own outside the workspace.
mkdir -p "$work/framework/src" "$work/framework/.cargo"
cp scripts/floor/Cargo.toml.in "$work/framework/Cargo.toml"
cp scripts/floor/main.rs "$work/framework/src/main.rs"
cp Cargo.lock "$work/framework/"
cp .cargo/config.toml "$work/framework/.cargo/config.toml"
(cd "$work/framework" && CARGO_TARGET_DIR="$root/target" cargo build --release \
  --target wasm32-unknown-unknown --quiet)
measure framework "$root/target/wasm32-unknown-unknown/release/framework-floor.wasm" \
  "framework alone (Leptos, router, one resource, serde_json, gloo-net)"

# 2. The app with the home page alone.
mkdir -p "$work/app"
git archive HEAD | tar -x -C "$work/app"
python3 - "$work/app/src/app.rs" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
home = '<Route path=StaticSegment("") view={Deferred(pages::home::Home)} />'
start = s.index(home) + len(home)
end = s.index('</Routes>')
open(path, 'w').write(s[:start] + '\n' + s[end:])
PY
(cd "$work/app" && CARGO_TARGET_DIR="$root/target" cargo build --release \
  -p hromada-web --target wasm32-unknown-unknown --quiet)
measure home "$root/target/wasm32-unknown-unknown/release/hromada-web.wasm" \
  "the app's home page alone"
