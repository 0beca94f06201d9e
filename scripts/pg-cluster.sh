#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS cluster for the tests and benchmarks:
#
#   scripts/pg-cluster.sh start DIR   # prints the admin URL on stdout
#   scripts/pg-cluster.sh stop DIR    # stops it and deletes DIR
#
# Debian's postgresql and postgis packages are installed when missing (as
# root). The cluster lives in DIR (created), belongs to the `postgres`
# user when run as root, listens on 127.0.0.1 on the first free port from
# 55432 (trust authentication: loopback only, data thrown away), and has
# PostGIS and unaccent installed in template1, so every database created
# for a test has them at once. Tests run it without fsync (the data is
# thrown away); DURABLE=1 keeps PostgreSQL's defaults (benchmarks).
# PG_SETTINGS adds server settings ("-c shared_buffers=2GB …").
set -euo pipefail

action="${1:-}"
dir="${2:-}"
if [ -z "$action" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi

bindir() {
    local b
    b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$b" ] && [ -x "$b/initdb" ] && echo "$b"
}

# Run a PostgreSQL program as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Absolute: the server runs in its data folder and puts its socket in DIR.
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

case "$action" in
start)
    if ! bindir >/dev/null || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "error: PostgreSQL or PostGIS missing and not root: install postgresql and postgresql-postgis" >&2
            exit 1
        fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql postgresql-postgis >&2
    fi
    bin="$(bindir)"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    port=55432
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        port=$((port + 1))
    done
    settings="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300"
    settings="$settings ${PG_SETTINGS:-}"
    if [ "${DURABLE:-0}" != 1 ]; then
        settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$settings" start >&2 || {
        cat "$dir/server.log" >&2
        exit 1
    }
    echo "$port" >"$dir/port"
    as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d template1 -v ON_ERROR_STOP=1 \
        -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS unaccent;" >&2
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
