#!/usr/bin/env bash
# Map benchmark: 100,000 synthetic events, headless Chromium; time to the
# first markers and frame times while panning (medians over several cold
# page loads). Usage: scripts/bench-map.sh [EVENTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
EVENTS="${1:-100000}"
RUNS="${2:-7}"
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
cargo build --release -p frontline
DB="${BENCH_DB:-$CARGO_TARGET_DIR/bench-map-$EVENTS.db}"
if [ ! -f "$DB" ]; then
  "$CARGO_TARGET_DIR/release/frontline" demo-data --events "$EVENTS" --db "$DB"
fi
FRONTLINE_BIN="$CARGO_TARGET_DIR/release/frontline" node tests/browser/bench-map.mjs "$DB" "$RUNS"
