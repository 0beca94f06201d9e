#!/usr/bin/env bash
# API benchmarks on loopback — measurements, not tests:
#   1. N synthetic events (default 1,000,000) with `frontline demo-data`;
#   2. median latency (wrk, one connection) of map queries
#      /api/events?bbox=…&limit=1000 and /api/control?at=…;
#   3. sustained throughput on a typical map query (wrk, 2 threads, 32 connections);
#   4. ingest of 10,000 articles (scripts/gen-articles.py);
#   5. the same bbox query against Datasette (PyPI) serving the same table.
# Usage: bash scripts/bench-api.sh   (EVENTS=…, ARTICLES=…, DURATION=…, REBUILD=1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EVENTS=${EVENTS:-1000000}
ARTICLES=${ARTICLES:-10000}
DURATION=${DURATION:-15s}
PORT=${PORT:-18090}
DS_PORT=${DS_PORT:-18091}
TARGET=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$TARGET/bench-api}
DB=$WORK/bench.db
OUT=$WORK/results.md
mkdir -p "$WORK"

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else
        echo "error: wrk is missing (Debian: apt-get install wrk)" >&2
        exit 1
    fi
fi

echo "== building (release)"
cargo build --release -q -p frontline
BIN=$TARGET/release/frontline

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_http() {
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.2
    done
    echo "error: $1 did not answer" >&2
    exit 1
}

# "name|url" -> one markdown row: median, p99, requests/s (one connection).
latency() {
    local name=$1 url=$2 out
    out=$(wrk -t1 -c1 -d"$DURATION" --latency "$url")
    local p50 p99 rps bytes
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    bytes=$(curl -s -o /dev/null -w '%{size_download}' "$url")
    echo "| $name | $p50 | $p99 | $rps | $bytes |" | tee -a "$OUT"
}

if [ ! -f "$DB" ] || [ "${REBUILD:-0}" = 1 ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "== $EVENTS synthetic events"
    "$BIN" demo-data --events "$EVENTS" --db "$DB" | tee "$WORK/demo-data.log"
fi

{
    echo "# API benchmark, $(date -u +%Y-%m-%d)"
    echo
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr)."
    echo "Load average when starting (other work on the machine shows here): $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Database: $EVENTS synthetic events, $(du -h "$DB" | cut -f1). Load generator: wrk on loopback, $DURATION per row."
    echo
    echo "| query | median | p99 | req/s (1 connection) | bytes |"
    echo "|---|---|---|---|---|"
} | tee "$OUT"

RUST_LOG=warn "$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
pids+=($!)
BASE=http://127.0.0.1:$PORT
wait_http "$BASE/healthz"
# Warm the page cache.
curl -s -o /dev/null "$BASE/api/events?bbox=35.5,32.3,42.5,37.4&limit=1000"

CITY="bbox=36.9,36.0,37.4,36.4&limit=1000"          # Aleppo and its outskirts
NORTHWEST="bbox=35.9,35.5,37.6,36.8&limit=1000"     # Idlib and Aleppo provinces
SYRIA="bbox=35.5,32.3,42.5,37.4&limit=1000"         # the whole country
SMALL="bbox=38.95,35.90,39.05,35.99&limit=1000"     # Raqqa city
latency "/api/events city ($CITY)" "$BASE/api/events?$CITY"
latency "/api/events north-west ($NORTHWEST)" "$BASE/api/events?$NORTHWEST"
latency "/api/events Syria ($SYRIA)" "$BASE/api/events?$SYRIA"
latency "/api/events small box ($SMALL)" "$BASE/api/events?$SMALL"
latency "/api/events filtered (north-west, type=strike, 2016)" "$BASE/api/events?$NORTHWEST&type=strike&from=2016&to=2016"
latency "/api/control?at=2016-12-31" "$BASE/api/control?at=2016-12-31"
latency "/api/control?at=2024-12-08" "$BASE/api/control?at=2024-12-08"

echo | tee -a "$OUT"
tp=$(wrk -t2 -c32 -d"$DURATION" --latency "$BASE/api/events?$NORTHWEST")
echo "Sustained throughput, north-west map query, wrk -t2 -c32: $(echo "$tp" | awk '/Requests\/sec/ {print $2}') req/s, median $(echo "$tp" | awk '$1 == "50%" {print $2}'), $(echo "$tp" | awk '/Transfer\/sec/ {print $2}')/s." | tee -a "$OUT"
kill "${pids[0]}" && wait "${pids[0]}" 2>/dev/null || true
pids=()

echo | tee -a "$OUT"
echo "== ingest of $ARTICLES articles"
python3 scripts/gen-articles.py "$ARTICLES" > "$WORK/articles.jsonl"
rm -f "$WORK/ingest.db" "$WORK/ingest.db-wal" "$WORK/ingest.db-shm"
start=$(date +%s.%N)
"$BIN" ingest --db "$WORK/ingest.db" "$WORK/articles.jsonl" | tee "$WORK/ingest.log"
end=$(date +%s.%N)
echo "Ingest of $ARTICLES generated articles ($(du -h "$WORK/articles.jsonl" | cut -f1)): $(python3 -c "print(round($end - $start, 1))") s — $(cat "$WORK/ingest.log")" | tee -a "$OUT"

echo | tee -a "$OUT"
echo "== Datasette on the same table"
if [ ! -x "$WORK/venv/bin/datasette" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q datasette
fi
"$WORK/venv/bin/datasette" serve -i "$DB" -p "$DS_PORT" --setting sql_time_limit_ms 20000 >"$WORK/datasette.log" 2>&1 &
pids+=($!)
DS=http://127.0.0.1:$DS_PORT
wait_http "$DS/-/versions.json"
name=$(basename "$DB" .db)
ds_query() { # bbox west south east north
    echo "$DS/$name/events.json?_shape=array&_size=1000&_nocount=1&_nofacet=1&_nosuggest=1&lat__gte=$2&lat__lte=$4&lon__gte=$1&lon__lte=$3"
}
{
    echo "Datasette $("$WORK/venv/bin/datasette" --version | awk '{print $NF}') (table JSON API, rows in id order, counting and facets off):"
    echo
    echo "| query | median | p99 | req/s (1 connection) | bytes |"
    echo "|---|---|---|---|---|"
} | tee -a "$OUT"
latency "Datasette city" "$(ds_query 36.9 36.0 37.4 36.4)"
latency "Datasette north-west" "$(ds_query 35.9 35.5 37.6 36.8)"
latency "Datasette Syria" "$(ds_query 35.5 32.3 42.5 37.4)"
latency "Datasette small box" "$(ds_query 38.95 35.90 39.05 35.99)"
tp=$(wrk -t2 -c32 -d"$DURATION" --latency "$(ds_query 35.9 35.5 37.6 36.8)")
echo | tee -a "$OUT"
echo "Datasette sustained throughput, north-west query, wrk -t2 -c32: $(echo "$tp" | awk '/Requests\/sec/ {print $2}') req/s, median $(echo "$tp" | awk '$1 == "50%" {print $2}')." | tee -a "$OUT"
echo
echo "Results written to $OUT"
