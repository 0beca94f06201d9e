#!/usr/bin/env bash
# Every check of the project on a fresh Debian machine with the Rust
# toolchain: formatting, lints, the Rust tests (unit and end-to-end, with
# GDAL's ogrinfo for the OGC API test), the evaluation tables (informative:
# the score never fails the run), then the browser tests in Debian's
# Chromium against a real server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo not found; install the Rust toolchain (https://rustup.rs)" >&2
    exit 1
fi
# rustfmt and clippy ship with the default rustup profile; add them if missing.
if command -v rustup >/dev/null 2>&1; then
    for component in rustfmt clippy; do
        if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
            rustup component add "${component}"
        fi
    done
fi

# System packages the tests use: GDAL's ogrinfo (a real OGC API client) and
# Debian's Chromium (never a downloaded browser build).
# Node.js, npm and a C compiler (for the bundled SQLite) are on the CI
# machine; they are installed here too if a machine lacks them.
missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v cc >/dev/null 2>&1 || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq "${missing[@]}"
    else
        echo "warning: ${missing[*]} missing and not root: the tests that need them will say so" >&2
    fi
fi

# The map's npm packages (Leaflet, markercluster, world-atlas,
# topojson-client), which the build embeds in the binary (so this comes
# before any cargo command), and playwright-core for the browser tests.
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)

echo "== cargo fmt --all --check"
cargo fmt --all --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test --workspace"
cargo test --workspace

# The same store and API tests on PostgreSQL + PostGIS: a throw-away
# cluster in a temporary folder (Debian's packages installed when missing),
# one new database per test, the cluster deleted at the end. The suites
# that break or read a SQLite file on purpose (hardening, ingest_kill,
# feeds) stay SQLite-only.
echo "== PostgreSQL: cargo test (store, api, review, accounts, ogrinfo, cli) on a throw-away cluster"
pgdir="$(mktemp -d /tmp/frontline-pg.XXXXXX)"
trap 'scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pgurl="$(scripts/pg-cluster.sh start "$pgdir")"
FRONTLINE_TEST_POSTGRES="$pgurl" cargo test -p frontline-store
FRONTLINE_TEST_POSTGRES="$pgurl" cargo test -p frontline \
    --test api --test review --test accounts --test ogrinfo --test cli
# An empty database for the browser test of the map on PostgreSQL.
pgbrowser="${pgurl%/postgres}/browser_demo"
psql -q -X -v ON_ERROR_STOP=1 "$pgurl" -c "CREATE DATABASE browser_demo"
export FRONTLINE_TEST_POSTGRES_DB="$pgbrowser"

# The debug binary scores the corpora in about a second, so no release build
# (a second full compile) is needed here.
echo "== evaluation (informative, never fails the run)"
cargo build -q -p frontline
for corpus in ../shared/corpus/dev backend/server/demo/dispatches; do
    if [ -d "${corpus}" ]; then
        echo "-- frontline eval ${corpus}"
        "$CARGO_TARGET_DIR/debug/frontline" eval "${corpus}" || echo "warning: eval did not complete" >&2
    else
        echo "-- ${corpus} not found: skipped"
    fi
done

echo "== browser tests (headless Chromium)"
FRONTLINE_BIN="$CARGO_TARGET_DIR/debug/frontline" node --test --test-reporter=spec tests/browser/
