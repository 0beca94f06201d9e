#!/usr/bin/env bash
# Every check of the project: formatting, lints, the Rust tests (unit and
# end-to-end), then the browser tests against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo test --workspace

# The map's npm packages (Leaflet, markercluster, world-atlas,
# topojson-client) and playwright-core for the browser tests.
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)

# Debian's Chromium drives the browser tests (never a downloaded build).
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium
fi

cargo build -p frontline
FRONTLINE_BIN="$CARGO_TARGET_DIR/debug/frontline" node --test --test-reporter=spec tests/browser/
