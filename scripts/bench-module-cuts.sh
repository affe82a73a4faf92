#!/usr/bin/env bash
# What each way of cutting the app's module would cut from a first load (issue 25, "Less to
# download"), measured on builds of the committed app that differ in one thing each. Every
# build is the release profile, then wasm-bindgen and `wasm-opt -Oz` as Trunk does; sizes
# are raw and `brotli -q 11`:
#   1. as committed;
#   2. one catalog: en.json replaced by a copy of uk.json, so the module carries one
#      language's strings (what loading the visitor's catalog only could at most save);
#   3. no `icu_compiled_data`: the feature off in the app and the views (what trimming the
#      locale data to Ukrainian and English could at most save);
#   4. no staff desk: every route to a `pages::staff` view removed (what deferring the
#      staff desk to a split module could at most cut from a resident's first load).
# None is a build to ship. Writes target/bench-module-cuts.md. Usage:
#   scripts/bench-module-cuts.sh      (four release builds of the app: 15-25 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out_md=target/bench-module-cuts.md
mkdir -p target
say() { echo "bench-module-cuts: $*" >&2; }

declare -A RAW BR
variant() { # name: build the copy in $work/$name and measure its module
  local name=$1 dir="$work/$1"
  say "building: $name"
  if ! (cd "$dir" && CARGO_TARGET_DIR="$root/target/module-cuts" cargo build --release \
    -p hromada-web --target wasm32-unknown-unknown --quiet); then
    RAW[$name]=failed
    BR[$name]=failed
    return
  fi
  local o="$work/out-$name"
  wasm-bindgen --target web --no-typescript --out-dir "$o" --out-name app \
    "$root/target/module-cuts/wasm32-unknown-unknown/release/hromada-web.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$o/app_bg.wasm" -o "$o/app.wasm"
  RAW[$name]=$(stat -c %s "$o/app.wasm")
  BR[$name]=$(brotli -q 11 -c "$o/app.wasm" | wc -c)
  say "$name: ${RAW[$name]} B raw, ${BR[$name]} B brotli"
}
copy() { mkdir -p "$work/$1" && git archive HEAD | tar -x -C "$work/$1"; }

copy committed
copy one-catalog
cp "$work/one-catalog/views/locales/uk.json" "$work/one-catalog/views/locales/en.json"
copy no-icu-data
sed -i 's/features = \["csr", "icu_compiled_data"\]/features = ["csr"]/' "$work/no-icu-data/Cargo.toml"
sed -i 's/features = \["icu_compiled_data"\]/features = []/' "$work/no-icu-data/views/Cargo.toml"
copy no-staff
python3 - "$work/no-staff/src/app.rs" <<'PY'
import re, sys
path = sys.argv[1]
s = open(path).read()
s, n = re.subn(r"<Route\b[^<]*?view=\{Deferred\(pages::staff::\w+\)\}\s*/>", "", s, flags=re.S)
if n == 0:
    sys.exit("bench-module-cuts: no staff routes found in src/app.rs")
open(path, "w").write(s)
print(f"bench-module-cuts: removed {n} staff routes", file=sys.stderr)
PY

for v in committed one-catalog no-icu-data no-staff; do variant "$v"; done

row() { # label, variant
  local v=$2
  if [ "${BR[$v]}" = failed ]; then
    printf '| %s | did not build | | |\n' "$1"
    return
  fi
  local d=$((BR[committed] - BR[$v]))
  printf '| %s | %s | %s | %s B (%s %%) |\n' "$1" "${RAW[$v]}" "${BR[$v]}" "$d" \
    "$(awk -v d="$d" -v t="${BR[committed]}" 'BEGIN { printf "%.1f", d * 100 / t }')"
}
{
  echo "# What each cut would take off the module ($(date -u +%F), commit $(git rev-parse --short HEAD))"
  echo
  echo "| build | wasm raw (B) | wasm brotli (B) | cut, brotli |"
  echo "| --- | ---: | ---: | ---: |"
  row "as committed" committed
  row "one catalog only (en.json = uk.json)" one-catalog
  row "no icu_compiled_data" no-icu-data
  row "no staff desk routes" no-staff
} | tee "$out_md"
say "written to $out_md"
