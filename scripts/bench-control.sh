#!/usr/bin/env bash
# Areas of control and front lines per date, as the time slider asks for
# them — a measurement, not a test. Builds the demo database (plus EVENTS
# synthetic events with `frontline demo-data`, default none), serves it
# (release build), then walks the slider's play steps (STEP days, default
# 14, as TimeSlider.js) over the events' date range and times on loopback,
# with curl's time_total:
#   - /api/control/areas, first request for the date (computed, "cold");
#   - /api/control/frontlines right after (the same cached map);
#   - /api/control (the places, not cached);
#   - both map requests again ("warm": from the cache);
# then the static map of the whole country (/static.png and /static.svg,
# 800 × 500, at the last date) RUNS times, with the number of events drawn.
# Prints the median and the largest of each, in ms.
# Usage: bash scripts/bench-control.sh   (EVENTS=…, STEP=…, RUNS=…, PORT=…)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EVENTS=${EVENTS:-0}
STEP=${STEP:-14}
RUNS=${RUNS:-20}
PORT=${PORT:-18095}
TARGET=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$TARGET/bench-control}
DB=$WORK/demo-$EVENTS.db
mkdir -p "$WORK"

echo "== building (release)"
cargo build --release -q -p frontline
BIN=$TARGET/release/frontline

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ ! -f "$DB" ]; then
    "$BIN" demo --db "$DB" --addr 127.0.0.1:0 >"$WORK/build.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        grep -q "listening on" "$WORK/build.log" && break
        sleep 0.2
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    if [ "$EVENTS" -gt 0 ]; then
        "$BIN" demo-data --db "$DB" --events "$EVENTS" >/dev/null
    fi
fi

"$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
pid=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 300); do curl -sf -o /dev/null "$URL/healthz" && break; sleep 0.2; done

read -r FIRST LAST < <(curl -s "$URL/api/events/points?limit=1" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["min_date"], d["max_date"])')
echo "== slider $FIRST … $LAST, every $STEP days"

ms() { curl -s -o /dev/null -w '%{time_total}\n' "$1" | awk '{printf "%.2f\n", $1 * 1000}'; }
: >"$WORK/cold" ; : >"$WORK/fronts" ; : >"$WORK/places" ; : >"$WORK/warm"
day=$FIRST
steps=0
while [[ "$day" < "$LAST" || "$day" == "$LAST" ]]; do
    ms "$URL/api/control/areas?at=$day" >>"$WORK/cold"
    ms "$URL/api/control/frontlines?at=$day" >>"$WORK/fronts"
    ms "$URL/api/control?at=$day" >>"$WORK/places"
    ms "$URL/api/control/areas?at=$day" >>"$WORK/warm"
    ms "$URL/api/control/frontlines?at=$day" >>"$WORK/warm"
    steps=$((steps + 1))
    day=$(date -u -d "$day + $STEP days" +%F)
done

stats() {
    sort -n "$1" | awk -v name="$2" '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        p = v[int(NR * 0.95 + 0.5) > NR ? NR : int(NR * 0.95 + 0.5)];
        printf "| %s | %d | %.1f | %.1f | %.1f |\n", name, NR, m, p, v[NR] }'
}
echo "| request | n | median ms | 95th pct ms | max ms |"
echo "| --- | --- | --- | --- | --- |"
stats "$WORK/cold" "areas, first request of a date (computed)"
stats "$WORK/fronts" "front lines after it (cached map)"
stats "$WORK/places" "/api/control (places, not cached)"
stats "$WORK/warm" "areas and front lines again (cached)"
VIEW="lat=35&lng=38.5&z=7&w=800&h=500&at=$LAST"
: >"$WORK/png" ; : >"$WORK/svg"
for _ in $(seq 1 "$RUNS"); do
    ms "$URL/static.png?$VIEW" >>"$WORK/png"
    ms "$URL/static.svg?$VIEW" >>"$WORK/svg"
done
drawn=$(curl -s "$URL/static.svg?$VIEW" | grep -o 'class="event"' | wc -l)
stats "$WORK/png" "/static.png 800×500, $drawn events"
stats "$WORK/svg" "/static.svg 800×500, $drawn events"
echo "($steps slider steps; machine: $(nproc) cores, $(uname -m))"
