# Hromada: `make run` to try it, `make test` to check everything.
# Both install what is missing first (see scripts/ensure-tools.sh).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

ADDR ?= 127.0.0.1:8080
DATABASE_URL ?= sqlite://data/hromada.db?mode=rwc
SERVER_BIN := target/server/hromada-server
WASM := --target wasm32-unknown-unknown

.PHONY: run test tools tools-test app server fmt clippy unit wasm-test pg-test e2e audit bench clean

## Build the app and serve it with the reference server and demo content.
run: tools app server
	@mkdir -p data
	HROMADA_ADDR=$(ADDR) DATABASE_URL='$(DATABASE_URL)' HROMADA_DEMO=1 HROMADA_STATIC_DIR=dist $(SERVER_BIN)

## Every check CI runs.
test: tools-test fmt clippy unit wasm-test app pg-test e2e e2e-move schemathesis
	@echo "make test: all checks passed"

tools:
	scripts/ensure-tools.sh build

tools-test:
	scripts/ensure-tools.sh test

## The web app, release build, into dist/.
app:
	cargo fetch
	trunk build --release --offline

## The reference server, optimised for speed.
server:
	cargo build --profile server -p hromada-server

fmt:
	cargo fmt --all --check

clippy:
	cargo clippy --workspace --exclude hromada-web --all-targets -- -D warnings
	cargo clippy -p hromada-web -p hromada-views -p hromada-api $(WASM) --all-targets -- -D warnings

## Native unit and integration tests (the server's on SQLite).
unit:
	cargo test --workspace --exclude hromada-web --exclude hromada-e2e

## The app's tests, in headless Chromium.
wasm-test:
	CHROMEDRIVER=/usr/bin/chromedriver \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	cargo test -p hromada-web $(WASM)

## The server's tests again, on a throwaway PostgreSQL cluster.
pg-test:
	scripts/with-postgres.sh cargo test -p hromada-server

## The debug server fuzzed from api/openapi.yaml (schemathesis, fixed seed).
.PHONY: schemathesis
schemathesis:
	scripts/schemathesis.sh

## The built app and the server, driven in real Chromium. Each scenario's database is
## kept in target/e2e-databases for e2e-move.
E2E_DATABASES := $(CURDIR)/target/e2e-databases
e2e:
	cargo build -p hromada-server
	rm -rf $(E2E_DATABASES)
	HROMADA_E2E_KEEP_DATABASES=$(E2E_DATABASES) cargo test -p hromada-e2e -- --test-threads=1

## The fullest database of each e2e suite moved to PostgreSQL (hromada-server migrate),
## then checked through the API against the source.
.PHONY: e2e-move
e2e-move:
	HROMADA_MOVE_DATABASES=$(E2E_DATABASES) scripts/with-postgres.sh \
	  cargo test -p hromada-server --test migrate databases_the_e2e_scenarios_filled

## Lighthouse and axe-core on the release build (report in target/audit-report.md).
audit: tools-test
	scripts/audit.sh

## First-load sizes and the server under load; report in target/bench-report.md; the
## first load of every page kind (target/bench-first-views.md); then an urgent alert to
## 10,000 devices through a local push service (target/bench-push.md); what each cut of
## the module would save (target/bench-module-cuts.md, target/split-staff.md); then an
## alert spike: 10,000 event streams on 3 processes behind nginx (target/bench-spike.md).
bench:
	scripts/bench.sh
	scripts/bench-first-views.sh
	scripts/bench-push.sh
	scripts/bench-module-cuts.sh
	scripts/split-report.sh staff | tee target/split-staff.md
	scripts/bench-spike.sh

clean:
	cargo clean
	rm -rf dist
