#!/usr/bin/env bash
# Hostile load on loopback (issue 17) — a measurement, bounded in time:
#   1. a database of N synthetic events (default 1,000,000, `frontline
#      demo-data`; reused when present, as scripts/bench-api.sh's is);
#   2. each slow filter alone (5 times, the median), then CLIENTS (64) clients sending the slowest event filters for LOAD_SECONDS
#      (30) while /healthz is asked every 100 ms: its latency must stay
#      under 200 ms;
#   3. IDLE (1000) idle and TRICKLE (200) trickling connections: each must
#      be closed within the server's --header-timeout (HEADER_TIMEOUT, 5 s).
# Usage: bash scripts/load-health.sh   (EVENTS=…, DB=…, CLIENTS=…, LOAD_SECONDS=…, IDLE=…, TRICKLE=…, REBUILD=1)
# Results: target/load-health/results.md. Needs python3 and curl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EVENTS=${EVENTS:-1000000}
CLIENTS=${CLIENTS:-64}
LOAD_SECONDS=${LOAD_SECONDS:-30}
IDLE=${IDLE:-1000}
TRICKLE=${TRICKLE:-200}
HEADER_TIMEOUT=${HEADER_TIMEOUT:-5}
PORT=${PORT:-18095}
TARGET=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$TARGET/load-health}
# Reuse the API benchmark's database when there is one.
if [ -z "${DB:-}" ] && [ -f "$TARGET/bench-api/bench.db" ]; then
    DB=$TARGET/bench-api/bench.db
fi
DB=${DB:-$WORK/load.db}
OUT=$WORK/results.md
mkdir -p "$WORK"

echo "== building (release)"
cargo build --release -q -p frontline
BIN=$TARGET/release/frontline

pid=
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ ! -f "$DB" ] || [ "${REBUILD:-0}" = 1 ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "== $EVENTS synthetic events into $DB"
    "$BIN" demo-data --events "$EVENTS" --db "$DB" | tee "$WORK/demo-data.log"
fi

# More file descriptors than the connections opened below.
ulimit -n 4096 2>/dev/null || true

RUST_LOG=warn timeout 900 "$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" \
    --header-timeout "$HEADER_TIMEOUT" --max-connections 1500 2>"$WORK/serve.log" &
pid=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    sleep 0.2
done
curl -sf -o /dev/null "$BASE/healthz" || { echo "error: the server did not answer" >&2; cat "$WORK/serve.log" >&2; exit 1; }
# Wait for the start-up integrity check, then warm the page cache.
for _ in $(seq 1 600); do
    curl -s "$BASE/healthz" | grep -q '"checking"' || break
    sleep 0.5
done
curl -s -o /dev/null "$BASE/api/events?bbox=35.5,32.3,42.5,37.4&limit=1000"

{
    echo "# Hostile load, $(date -u +%Y-%m-%d)"
    echo
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr)."
    echo "Load average when starting: $(cut -d' ' -f1-3 /proc/loadavg). Database: $(du -h "$DB" | cut -f1)$(command -v sqlite3 >/dev/null && echo ", $(sqlite3 "$DB" 'SELECT count(*) FROM events') events")."
    echo "Server: default limits (--max-heavy-queries 4, --query-timeout-ms 5000), --header-timeout $HEADER_TIMEOUT."
    echo "Integrity check at start: $(grep -o 'database integrity[^"]*' "$WORK/serve.log" | head -1 || true)$(curl -s "$BASE/healthz" | grep -o '"integrity":[^,]*')"
    echo
} | tee "$OUT"

python3 scripts/load-health.py alone "$BASE" 5 | tee -a "$OUT"
echo | tee -a "$OUT"
python3 scripts/load-health.py slow "$BASE" "$CLIENTS" "$LOAD_SECONDS" | tee -a "$OUT"
echo | tee -a "$OUT"
python3 scripts/load-health.py idle "$BASE" "$IDLE" "$TRICKLE" "$HEADER_TIMEOUT" | tee -a "$OUT"
echo
echo "Results written to $OUT"
