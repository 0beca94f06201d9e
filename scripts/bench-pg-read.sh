#!/usr/bin/env bash
# Reading on PostgreSQL with many synthetic events — a measurement, not a
# test. Loads EVENTS events (default 1,000,000; `generate_series`, once per
# database: the database bench_read_EVENTS is kept on the server) and prints,
# over RUNS runs (default 21), the median and largest time of the store's
# `events` for a page of 1,000 in a 0.5° box, of `event_features` for the
# same page, and of `control_at`; then the plans PostgreSQL chooses for
# them (EXPLAIN ANALYZE of the statements those methods send).
# Usage: bash scripts/bench-pg-read.sh [EVENTS] [RUNS]
#   PG_URL=postgres://…  an admin URL of a running server (else a
#                        throw-away cluster, scripts/pg-cluster.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EVENTS=${1:-1000000}
RUNS=${2:-21}
TARGET=${CARGO_TARGET_DIR:-target}

cargo build --release -q -p frontline-store --example pg_read_bench
if [ -z "${PG_URL:-}" ]; then
    dir=$(mktemp -d /tmp/frontline-pg-read.XXXXXX)
    PG_URL=$(scripts/pg-cluster.sh start "$dir")
    trap 'scripts/pg-cluster.sh stop "$dir"' EXIT
fi
"$TARGET/release/examples/pg_read_bench" "$PG_URL" "$EVENTS" "$RUNS"

DB="${PG_URL%/*}/bench_read_$EVENTS"
echo "== plan of the box page (events)"
psql -X -q "$DB" -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT e.id FROM events e
  WHERE e.review <> 'rejected' AND e.geom && ST_MakeEnvelope(36.9, 35.9, 37.4, 36.4, 4326)
    AND e.lat BETWEEN 35.9 AND 36.4 AND e.lon BETWEEN 36.9 AND 37.4
  ORDER BY e.id LIMIT 1001"
echo "== plan of control_at"
psql -X -q "$DB" -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT p.id, c.id,
    (SELECT max(x.date) FROM events x WHERE x.place_id = p.id AND x.date <= '2018-06-01'
       AND x.review <> 'rejected') AS last_report
  FROM places p CROSS JOIN LATERAL (
    SELECT e.id, e.date FROM events e
    WHERE e.type = 'control_change' AND e.precision = 'exact' AND e.place_id = p.id
      AND e.date <= '2018-06-01' AND e.review <> 'rejected'
    ORDER BY e.date DESC, e.id DESC LIMIT 1) c
  ORDER BY p.id COLLATE \"C\""
