#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) Hromada needs, skipping whatever is
# already present:  scripts/ensure-tools.sh [build|test]
# Only the Rust toolchain is assumed; everything else comes from crates.io, npm, PyPI and
# Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "ensure-tools: $*" >&2; }

. scripts/apt.sh

# The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Tools built from crates.io are built without LTO: about three times faster to install.
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

# Trunk 0.21 (0.22 needs a newer rustc).
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  say "installing trunk 0.21 (several minutes)"
  fast_install trunk --version '^0.21' --locked
fi

# wasm-bindgen-cli: exactly the wasm-bindgen of Cargo.lock. Not --locked: one of its pinned
# dependencies is gone from the registry.
wbg="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$wbg" ]; then
  say "Cargo.lock names no wasm-bindgen"; exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$" \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wbg (several minutes)"
  fast_install wasm-bindgen-cli --version "$wbg" --force
fi

# wasm-opt from npm's binaryen: Debian's is too old for what rustc emits.
wasm_opt_ok() {
  local v
  v="$(wasm-opt --version 2>/dev/null | grep -o 'version [0-9]*' | grep -o '[0-9]*' || true)"
  [ -n "$v" ] && [ "$v" -ge 120 ]
}
if ! wasm_opt_ok; then
  if ! command -v npm >/dev/null; then
    say "installing Node.js and npm"
    apt_install nodejs npm
  fi
  say "installing wasm-opt (npm package binaryen)"
  npm install -g --no-audit --no-fund binaryen >/dev/null
  hash -r
  wasm_opt_ok || { say "wasm-opt still missing after installing binaryen"; exit 1; }
fi

# brotli, to compress the build once at the highest quality (scripts/precache.sh).
if ! command -v brotli >/dev/null; then
  say "installing brotli"
  apt_install brotli
fi

if [ "$what" = "test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and ChromeDriver"
    apt_install chromium chromium-driver
  fi
  # The load balancer of the server's multi-process tests (server/tests/balancer.rs), and
  # openssl for the certificate of its TLS example.
  if [ ! -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null; then
    say "installing nginx and openssl"
    apt_install nginx openssl
  fi
  if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
    say "installing PostgreSQL 15"
    apt_install postgresql
  fi

  # The real outside services of the server's tests (server/tests/common/outside.rs).
  # An SMTP server: aiosmtpd from PyPI, in a virtualenv, run by scripts/smtp-sink.py.
  AIOSMTPD=1.4.6
  venv=.tools/aiosmtpd
  if ! "$venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD')" 2>/dev/null; then
    say "installing aiosmtpd $AIOSMTPD into $venv"
    python_venv "$venv" "aiosmtpd==$AIOSMTPD" atpublic==9.0.0 attrs==26.1.0
    "$venv/bin/python" -c 'import aiosmtpd'
  fi

  # A Web Push service: web-push-testing from npm, pinned by scripts/push-service's
  # package-lock.json, installed by `npm ci` into scripts/push-service/node_modules (again
  # whenever the lock changes: the lock installed last is kept there beside it).
  push=scripts/push-service
  if ! cmp -s "$push/package-lock.json" "$push/node_modules/.hromada-installed-lock.json" 2>/dev/null \
    || [ ! -f "$push/node_modules/web-push-testing/src/bin/server.js" ]; then
    if ! command -v npm >/dev/null; then
      say "installing Node.js and npm"
      apt_install nodejs npm
    fi
    say "installing web-push-testing (npm ci in $push)"
    (cd "$push" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$push/package-lock.json" "$push/node_modules/.hromada-installed-lock.json"
  fi
fi
