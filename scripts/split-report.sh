#!/usr/bin/env bash
# What splitting the app's wasm per section or per page would give (README, "Known
# limits"): a copy of the committed app with every route's view a wasm split point
# (scripts/split/lazy.rs, Leptos's LazyRoute), linked with --emit-relocs, split by
# wasm-split-cli 0.2.4 (installed from crates.io when missing, a few minutes), then
# wasm-bindgen --keep-lld-exports and wasm-opt -Oz on every module. Prints the shell's size
# and, for each split module, how many wasm files its first load needs and their brotli
# total. A measurement, not a build to ship.
#   scripts/split-report.sh [section|page|staff]  (default: section; about five minutes)
# `staff` makes the staff desk's pages one split module and leaves every other page in the
# main module: the one split point issue 25 asks about.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode="${1:-section}"
case "$mode" in section | page | staff) ;; *) echo "usage: $0 [section|page|staff]" >&2; exit 2 ;; esac
export PATH="$HOME/.cargo/bin:$PATH"
if ! wasm-split-cli --help >/dev/null 2>&1; then
  echo "split-report: installing wasm-split-cli (wasm_split_cli_support 0.2.4)" >&2
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm_split_cli_support --version 0.2.4 --features build-binary --locked
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive HEAD | tar -x -C "$work"
cp scripts/split/lazy.rs "$work/src/pages/lazy.rs"
python3 - "$work" "$mode" <<'EOF'
import re, sys
work, mode = sys.argv[1], sys.argv[2]
lazy_path = f"{work}/src/pages/lazy.rs"
lazy = open(lazy_path).read()
if mode == "page":
    # Every page its own split module: the chunk is named after the page's function.
    lazy = re.sub(r"^(\s+)\w+: (\w+)\((\w+)\)", r"\1\3: \2(\3)", lazy, flags=re.M)
    open(lazy_path, "w").write(lazy)
if mode == "staff":
    # The staff desk alone is split off: the other pages' split points go.
    lazy = "\n".join(
        l for l in lazy.split("\n")
        if not re.match(r"^\s+\w+: \w+\(\w+\) => ", l) or re.match(r"^\s+\w+: \w+\(\w+\) => staff::", l)
    )
    open(lazy_path, "w").write(lazy)
routes = dict(
    (view.split("::")[0] + "::" + view.split("::")[-1], route)
    for route, view in re.findall(r"^\s+\w+: (\w+)\(\w+\) => ([\w:]+);", lazy, re.M)
)
app_path = f"{work}/src/app.rs"
app = open(app_path).read()
app, n = re.subn(
    r"view=\{Deferred\(pages::(\w+)::(\w+)\)\}",
    lambda m: m.group(0) if mode == "staff" and m.group(1) != "staff"
    else "view={Lazy::<crate::pages::lazy::%s>::new()}" % routes[m.group(1) + "::" + m.group(2)],
    app,
)
if n == 0:
    sys.exit("split-report: no route views found in src/app.rs")
app = app.replace("use leptos_router::{", "use leptos_router::{Lazy, ", 1)
if mode != "staff":
    app = app.replace("use crate::pages::deferred::Deferred;\n", "")
open(app_path, "w").write(app)
mods = f"{work}/src/pages/mod.rs"
open(mods, "a").write("pub mod lazy;\n")
EOF

# The same target folder as the app unless CARGO_TARGET_DIR says otherwise: only this
# crate is built again, with its own flags.
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$work" && CARGO_TARGET_DIR="$target" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -C link-args=--emit-relocs" \
  cargo build --release --target wasm32-unknown-unknown --bin hromada-web --quiet)
out="$work/out"
mkdir -p "$out"
wasm-split-cli --out-name hromada-web \
  "$target/wasm32-unknown-unknown/release/hromada-web.wasm" "$out" >/dev/null
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$out" --out-name hromada-web "$out/hromada-web.wasm"
rm "$out/hromada-web.wasm"
opt() {
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$1" -o "$1" 2>"$1.log" || { cat "$1.log" >&2; return 1; }
  rm "$1.log"
}
export -f opt
find "$out" -name '*.wasm' -print0 | xargs -0 -n 1 -P "$(nproc)" bash -c 'opt "$0"'
python3 - "$out" "$mode" <<'EOF'
import os, re, subprocess, sys
out, mode = sys.argv[1], sys.argv[2]
def br(name):
    data = open(os.path.join(out, name), "rb").read()
    return len(subprocess.run(["brotli", "-q", "11", "-c"], input=data, capture_output=True, check=True).stdout)
loader = open(os.path.join(out, "__wasm_split.js")).read()
deps, files = {}, {}
for block in re.split(r"\n(?=(?:export )?const __)", loader):
    m = re.match(r"(?:export )?const (__\w+) = (?:wrapAsyncCb\()?makeLoad", block)
    if not m:
        continue
    files[m.group(1)] = re.search(r'new URL\("\./([\w.]+)"', block).group(1)
    deps[m.group(1)] = re.findall(r"__chunk_\d+", block.split(", [", 1)[1]) if ", [" in block else []
def closure(name, seen):
    if name not in seen:
        seen.add(name)
        for d in deps.get(name, []):
            closure(d, seen)
    return seen
main = "hromada-web_bg.wasm"
wasm_files = [f for f in os.listdir(out) if f.endswith(".wasm")]
sizes = {f: br(f) for f in wasm_files}
glue = br("hromada-web.js") + br("__wasm_split.js")
print(f"split per {mode}: {len(wasm_files)} wasm files, loader script "
      f"{os.path.getsize(os.path.join(out, '__wasm_split.js')):,} B raw")
print(f"shell (main module): {os.path.getsize(os.path.join(out, main)):,} B raw, {sizes[main]:,} B brotli; "
      f"JS glue and loader {glue:,} B brotli")
print("| split module | wasm files beside the shell | their brotli total | with the shell and JS |")
print("| --- | ---: | ---: | ---: |")
rows = []
for name, f in files.items():
    if name.startswith("__wasm_split_load_"):
        needed = [files[x] for x in closure(name, set())]
        total = sum(sizes[x] for x in needed)
        rows.append((total, f, len(needed)))
for total, f, n in sorted(rows):
    print(f"| {f[len('split_'):-len('.wasm')]} | {n} | {total:,} | {total + sizes[main] + glue:,} |")
EOF
