#!/usr/bin/env bash
# `make audit`: Lighthouse and axe-core against the release build, served by the release
# server on a fresh demo database. Installs its npm packages (pinned in
# scripts/audit/package-lock.json) into .tools/audit once; uses Debian's Chromium.
# Writes target/audit-report.md and target/audit-report.json.
#   AUDIT_ONLY=lighthouse|axe scripts/audit.sh    # one half only
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "audit: $*" >&2; }

tools=.tools/audit
if ! cmp -s scripts/audit/package-lock.json "$tools/package-lock.json" 2>/dev/null \
  || [ ! -d "$tools/node_modules/lighthouse" ]; then
  say "installing Lighthouse and axe-core (npm, once)"
  mkdir -p "$tools"
  cp scripts/audit/package.json scripts/audit/package-lock.json "$tools/"
  (cd "$tools" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
fi
cp scripts/audit/audit.mjs "$tools/audit.mjs"

[ -f dist/index.html ] || make app
make server >/dev/null

dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
HROMADA_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$dir/audit.db?mode=rwc" HROMADA_DEMO=1 \
  HROMADA_STATIC_DIR=dist HROMADA_MEDIA_DIR="$dir/media" HROMADA_MAIL_DIR="$dir/mail" HROMADA_SECRET_KEY_FILE="$dir/secret.key" target/server/hromada-server >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
say "server on port $port"
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" node "$tools/audit.mjs" "http://127.0.0.1:$port" target
