#!/usr/bin/env bash
# SQLite and PostgreSQL side by side — measurements, not tests:
#   1. N synthetic events (default 10,000,000) loaded with `frontline
#      demo-data` into a SQLite file and into a PostgreSQL + PostGIS
#      database (a throw-away cluster with PostgreSQL's durable defaults and
#      2 GB of shared buffers, in $WORK/pg);
#   2. on each, the median latency (wrk, one connection) of the same map
#      queries: /api/events?bbox=…&limit=1000 (four boxes, one filtered)
#      and /api/control?at=…;
#   3. concurrent ingest: 4 `frontline ingest` processes at once, each with
#      its own quarter of generated articles (scripts/gen-articles.py), into
#      one fresh database of each engine: articles/s and the counts.
# Usage: bash scripts/bench-engines.sh   (EVENTS=…, ARTICLES=…, DURATION=…)
# Results: $WORK/results.md (default target/bench-engines/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EVENTS=${EVENTS:-10000000}
ARTICLES=${ARTICLES:-4000}
DURATION=${DURATION:-10s}
PORT=${PORT:-18190}
TARGET=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$TARGET/bench-engines}
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

server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    scripts/pg-cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== PostgreSQL cluster"
scripts/pg-cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
ADMIN=$(DURABLE=1 PG_SETTINGS="-c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB" \
    scripts/pg-cluster.sh start "$WORK/pg")
PSQL=(psql -q -X -v ON_ERROR_STOP=1 "$ADMIN")
pg_db() { # name -> URL of a new empty database
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >&2
    echo "${ADMIN%/postgres}/$1"
}

wait_http() {
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.2
    done
    echo "error: $1 did not answer" >&2
    exit 1
}

# name url -> "median|p99|req/s"
latency() {
    local out
    out=$(wrk -t1 -c1 -d"$DURATION" --latency "$2")
    echo "$(echo "$out" | awk '$1 == "50%" {print $2}')|$(echo "$out" | awk '$1 == "99%" {print $2}')|$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
}

QUERIES=(
    "events, Aleppo box|/api/events?bbox=36.9,36.0,37.4,36.4&limit=1000"
    "events, north-west box|/api/events?bbox=35.9,35.5,37.6,36.8&limit=1000"
    "events, all of Syria|/api/events?bbox=35.5,32.3,42.5,37.4&limit=1000"
    "events, Raqqa city|/api/events?bbox=38.95,35.90,39.05,35.99&limit=1000"
    "events, north-west, strikes of 2016|/api/events?bbox=35.9,35.5,37.6,36.8&limit=1000&type=strike&from=2016&to=2016"
    "control, 2016-12-31|/api/control?at=2016-12-31"
    "control, 2024-12-08|/api/control?at=2024-12-08"
)
declare -A RESULT LOAD SIZE INGEST

measure() { # engine db
    local engine=$1 db=$2 start end
    echo "== $engine: $EVENTS synthetic events"
    start=$(date +%s.%N)
    "$BIN" demo-data --events "$EVENTS" --db "$db" >"$WORK/$engine-load.log"
    end=$(date +%s.%N)
    LOAD[$engine]=$(python3 -c "print(f'{$EVENTS / ($end - $start):,.0f} events/s ({$end - $start:.0f} s)')")
    if [ "$engine" = sqlite ]; then
        SIZE[$engine]=$(du -h "$db" | cut -f1)
    else
        SIZE[$engine]=$("${PSQL[@]}" -tA -c "SELECT pg_size_pretty(pg_database_size('bench'))")
    fi
    RUST_LOG=warn "$BIN" serve --db "$db" --addr "127.0.0.1:$PORT" 2>"$WORK/$engine-serve.log" &
    server_pid=$!
    wait_http "http://127.0.0.1:$PORT/healthz"
    for q in "${QUERIES[@]}"; do
        curl -s -o /dev/null "http://127.0.0.1:$PORT${q#*|}" # warm
        RESULT[$engine|${q%%|*}]=$(latency "${q%%|*}" "http://127.0.0.1:$PORT${q#*|}")
        echo "  ${q%%|*}: ${RESULT[$engine|${q%%|*}]}"
    done
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=
}

ingest4() { # engine db
    local engine=$1 db=$2 start end pids=()
    echo "== $engine: 4 concurrent writers, $ARTICLES articles"
    "$BIN" ingest --db "$db" /dev/null >/dev/null 2>&1 || true # migrate once
    start=$(date +%s.%N)
    for i in 0 1 2 3; do
        "$BIN" ingest --db "$db" "$WORK/articles-$i.jsonl" >"$WORK/$engine-ingest-$i.log" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    end=$(date +%s.%N)
    INGEST[$engine]=$(python3 -c "print(f'{$ARTICLES / ($end - $start):,.0f} articles/s ({$end - $start:.1f} s)')")
}

rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
measure sqlite "$WORK/bench.db"
rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
measure postgres "$(pg_db bench)"
"${PSQL[@]}" -c "DROP DATABASE bench"

python3 scripts/gen-articles.py "$ARTICLES" >"$WORK/articles.jsonl"
split -n l/4 -d -a 1 "$WORK/articles.jsonl" "$WORK/articles-"
for i in 0 1 2 3; do mv "$WORK/articles-$i" "$WORK/articles-$i.jsonl"; done
rm -f "$WORK/ingest.db" "$WORK/ingest.db-wal" "$WORK/ingest.db-shm"
ingest4 sqlite "$WORK/ingest.db"
ingest4 postgres "$(pg_db ingest)"

{
    echo "# SQLite and PostgreSQL, $(date -u +%Y-%m-%d)"
    echo
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB RAM; load average at the end $(cut -d' ' -f1-3 /proc/loadavg). PostgreSQL $("${PSQL[@]}" -tA -c 'SHOW server_version') with PostGIS $(psql -q -X "${ADMIN%/postgres}/template1" -tA -c "SELECT extversion FROM pg_extension WHERE extname = 'postgis'" 2>/dev/null || echo '?'), durable defaults, shared_buffers 2 GB; SQLite in WAL mode (synchronous=NORMAL)."
    echo "$EVENTS synthetic events: loaded at ${LOAD[sqlite]} on SQLite (${SIZE[sqlite]}), ${LOAD[postgres]} on PostgreSQL (${SIZE[postgres]})."
    echo "wrk on loopback, one connection, $DURATION per query, limit=1000."
    echo
    echo "| query | SQLite median | SQLite p99 | PostgreSQL median | PostgreSQL p99 |"
    echo "|---|---|---|---|---|"
    for q in "${QUERIES[@]}"; do
        name=${q%%|*}
        IFS='|' read -r s50 s99 _ <<<"${RESULT[sqlite|$name]}"
        IFS='|' read -r p50 p99 _ <<<"${RESULT[postgres|$name]}"
        echo "| $name | $s50 | $s99 | $p50 | $p99 |"
    done
    echo
    echo "Concurrent ingest, 4 processes, $ARTICLES generated articles: SQLite ${INGEST[sqlite]}, PostgreSQL ${INGEST[postgres]}."
} | tee "$OUT"
echo "Results written to $OUT"
