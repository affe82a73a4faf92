#!/usr/bin/env bash
# Screenshots of the app for a person to look at: every end-to-end scenario saves its steps,
# and a tour saves the main pages at 360×640 and 1280×800 in Ukrainian and English, all
# into tests/screenshots/ (ignored by git).
#
# Usage: scripts/screenshots.sh [a test-name filter]
# Builds what is missing first (the app with Trunk, the server), like `make e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [[ ! -f dist/index.html ]]; then
  trunk build --release --offline
fi
cargo build -p hromada-server

rm -rf tests/screenshots
HROMADA_SCREENSHOTS=1 cargo test -p hromada-e2e -- --test-threads=1 "$@"

echo
echo "Screenshots in tests/screenshots/:"
ls -1 tests/screenshots
