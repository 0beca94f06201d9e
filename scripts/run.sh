#!/usr/bin/env bash
# Build in release mode and run the main job: `frontline demo` builds the
# demo database (frontline-demo.db) from the built-in dispatches if it is
# missing, then serves it on http://127.0.0.1:8080.
#   bash scripts/run.sh                      # serve the demo
#   bash scripts/run.sh --addr 0.0.0.0:8080  # flags go to `frontline demo`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build --release -q -p frontline
exec "${CARGO_TARGET_DIR:-target}/release/frontline" demo "$@"
