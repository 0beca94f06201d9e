#!/usr/bin/env bash
# Build in release mode and run the main job. For now that is a gazetteer
# lookup (default query: Khan Toumane); the map server comes later.
#   bash scripts/run.sh               # looks up "Khan Toumane"
#   bash scripts/run.sh "Deir ez-Zor" # looks up another name
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build --release -q -p frontline
exec ./target/release/frontline gazetteer lookup "${@:-Khan Toumane}"
