#!/usr/bin/env bash
# Build and start the demo: installs the map's npm packages (the build
# embeds them in the binary), builds the release binary, then `frontline demo` builds the demo database (when it
# is missing or incomplete) and serves the map on http://127.0.0.1:8080/ (override with
# FRONTLINE_ADDR, FRONTLINE_DB, FRONTLINE_TILE_URL, FRONTLINE_PUBLIC_URL…).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm not found; install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
cargo build --release -p frontline
exec "$CARGO_TARGET_DIR/release/frontline" demo "$@"
