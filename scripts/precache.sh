#!/bin/sh
# Writes this build's precache list and version into its service worker: every file of the
# build but the worker itself, and a version that changes whenever any of them does.
# Trunk runs it after each build (post_build hook, TRUNK_STAGING_DIR); by hand:
#   scripts/precache.sh dist
set -eu
dir="${TRUNK_STAGING_DIR:-${1:-dist}}"
cd "$dir"
[ -f sw.js ] || { echo "precache: no sw.js in $dir" >&2; exit 1; }
files=$(find . -type f ! -name sw.js ! -name '*.br' ! -name '*.gz' | sed 's|^\./|/|' | LC_ALL=C sort)
version=$(for f in $files; do printf '%s\n' "$f"; cat ".$f"; done | sha256sum | cut -c1-16)
list=$(for f in $files; do printf '"%s"\n' "$f"; done | paste -sd, -)
sed -i \
  -e "s|^const VERSION = .*;\$|const VERSION = \"$version\";|" \
  -e "s|^const PRECACHE = .*;\$|const PRECACHE = [$list];|" \
  sw.js
grep -q "^const VERSION = \"$version\";" sw.js || { echo "precache: sw.js not updated" >&2; exit 1; }
echo "precache: $(printf '%s\n' $files | wc -l) files, version $version" >&2

# The hashed files, compressed once here at the highest settings, for the server to send
# as they are (brotli where the browser takes it, else gzip).
for f in *.wasm *.js *.css; do
  [ -f "$f" ] && [ "$f" != sw.js ] || continue
  gzip -9 -n -k -f "$f"
  if command -v brotli >/dev/null; then
    brotli -q 11 -k -f "$f"
  fi
done
command -v brotli >/dev/null || echo "precache: brotli is not installed; only .gz copies made" >&2
