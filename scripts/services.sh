#!/usr/bin/env bash
# Project-local development services for Pilote QSE.
#
#   scripts/services.sh start    start PostgreSQL + Redis (idempotent), write var/env
#   scripts/services.sh stop     stop what is running
#   scripts/services.sh status   show what is running
#
# PostgreSQL: cluster in var/pg/data, log var/pg/log, socket dir var/pg/run,
#             listening on 127.0.0.1:${QSE_PG_PORT:-54329}.
# Redis:      var/redis (pidfile, log, dir), port ${QSE_REDIS_PORT:-63799}; capped at
#             ${QSE_REDIS_MAXMEMORY:-256mb} with "noeviction": it is the Celery broker, and a
#             full broker must refuse new writes loudly, never drop queued tasks silently.
#
# If DATABASE_URL (resp. REDIS_URL) is already set in the environment, the local
# PostgreSQL (resp. Redis) is neither started nor stopped, and var/env only lists
# the services that this script manages.
#
# Roles created in the local cluster:
#   qse_owner  owns the database/schema, runs migrations; CREATEDB so that the test
#              runner can create test_qse.
#   qse_app    runtime role: NOSUPERUSER NOBYPASSRLS, owns nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR="$ROOT/var"
PG_PORT="${QSE_PG_PORT:-54329}"
REDIS_PORT="${QSE_REDIS_PORT:-63799}"

PG_DIR="$VAR/pg"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/log"
PG_RUN="$PG_DIR/run"
REDIS_DIR="$VAR/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
ENV_FILE="$VAR/env"

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

manage_pg() { [ -z "${DATABASE_URL:-}" ]; }
manage_redis() { [ -z "${REDIS_URL:-}" ]; }

# --------------------------------------------------------------------------- PostgreSQL

find_pg_bin() {
    local d
    if [ -n "${QSE_PG_BIN:-}" ]; then echo "$QSE_PG_BIN"; return; fi
    for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$d/postgres" ]; then echo "$d"; return; fi
    done
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    die "PostgreSQL server binaries not found (run scripts/install.sh)"
}

# PostgreSQL refuses to run as root: as root, run its binaries as the postgres user.
if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    PG_USER="$(id -un)"
    as_pg() { "$@"; }
fi

pg_running() {
    [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# Make every directory above $1 traversable by the postgres user (root only).
ensure_traversable() {
    local p="$1"
    [ "$(id -u)" = 0 ] || return 0
    if runuser -u postgres -- test -x "$p" 2>/dev/null; then return 0; fi
    while [ "$p" != "/" ]; do
        p="$(dirname "$p")"
        if ! runuser -u postgres -- test -x "$p" 2>/dev/null; then chmod o+x "$p"; fi
    done
}

# Run SQL as the superuser through the Unix socket (local auth = trust).
pg_sql() { # db sql
    as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -U postgres -d "$1" -tAc "$2"
}

pg_start() {
    PG_BIN="$(find_pg_bin)"
    mkdir -p "$PG_DIR" "$PG_RUN"
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres: "$PG_DIR"
        ensure_traversable "$PG_DIR"
    fi
    chmod 700 "$PG_RUN"

    # Unix socket paths are limited to 107 bytes.
    if [ $(( ${#PG_RUN} + 20 )) -gt 107 ]; then
        die "socket path $PG_RUN is too long for a Unix socket; move the repository to a shorter path"
    fi

    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        rm -rf "$PG_DATA"
        # Local development cluster only: the Unix socket (owned by the postgres user,
        # mode 0700) is trusted for the superuser; TCP on 127.0.0.1 requires passwords
        # (scram-sha-256), like production, so a wrong DATABASE_URL fails here too.
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi

    if pg_running; then
        return 0
    fi
    if as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
        die "port $PG_PORT is already used by another PostgreSQL (set QSE_PG_PORT)"
    fi
    # A stale postmaster.pid (e.g. after a machine reboot) is handled by pg_ctl itself.
    # fsync etc. are off: throwaway dev/test cluster, speed over crash safety.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_RUN -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { tail -n 30 "$PG_LOG" >&2 || true; die "PostgreSQL failed to start"; }

    pg_bootstrap
}

pg_bootstrap() {
    local ext
    pg_sql postgres "
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qse_owner') THEN
    CREATE ROLE qse_owner LOGIN PASSWORD 'qse_owner' CREATEDB NOSUPERUSER NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qse_app') THEN
    CREATE ROLE qse_app LOGIN PASSWORD 'qse_app' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
\$\$;" >/dev/null
    if [ -z "$(pg_sql postgres "SELECT 1 FROM pg_database WHERE datname = 'qse'")" ]; then
        pg_sql postgres "CREATE DATABASE qse OWNER qse_owner" >/dev/null
    fi
    pg_sql postgres "GRANT CONNECT ON DATABASE qse TO qse_app" >/dev/null
    # Extensions in template1 too, so that test databases (copied from template1) have them.
    for db in template1 qse; do
        for ext in pg_trgm unaccent btree_gist; do
            pg_sql "$db" "CREATE EXTENSION IF NOT EXISTS $ext" >/dev/null 2>&1 \
                || log "warning: could not create extension $ext in $db (is postgresql-contrib installed?)"
        done
    done
}

pg_stop() {
    PG_BIN="$(find_pg_bin)"
    if pg_running; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
}

pg_status() {
    if ! manage_pg; then echo "postgresql: external (DATABASE_URL set)"; return 0; fi
    PG_BIN="$(find_pg_bin)"
    if pg_running; then echo "postgresql: running on 127.0.0.1:$PG_PORT ($PG_DATA)"
    else echo "postgresql: stopped"; return 1; fi
}

# --------------------------------------------------------------------------- Redis

redis_running() {
    command -v redis-cli >/dev/null 2>&1 || return 1
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

redis_start() {
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found (run scripts/install.sh)"
    mkdir -p "$REDIS_DIR"
    if redis_running; then return 0; fi
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
        --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" \
        --save "" --appendonly no \
        --maxmemory "${QSE_REDIS_MAXMEMORY:-256mb}" --maxmemory-policy noeviction >/dev/null
    local i
    for i in $(seq 1 50); do
        redis_running && return 0
        sleep 0.1
    done
    tail -n 20 "$REDIS_LOG" >&2 || true
    die "Redis failed to start"
}

redis_stop() {
    if redis_running; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        local i
        for i in $(seq 1 50); do
            redis_running || break
            sleep 0.1
        done
    fi
    rm -f "$REDIS_PID"
}

redis_status() {
    if ! manage_redis; then echo "redis: external (REDIS_URL set)"; return 0; fi
    if redis_running; then echo "redis: running on 127.0.0.1:$REDIS_PORT"
    else echo "redis: stopped"; return 1; fi
}

# --------------------------------------------------------------------------- main

write_env() {
    mkdir -p "$VAR"
    local tmp="$ENV_FILE.tmp.$$"
    : >"$tmp"
    if manage_pg; then
        {
            echo "DATABASE_URL=postgres://qse_app:qse_app@127.0.0.1:$PG_PORT/qse"
            echo "DATABASE_OWNER_URL=postgres://qse_owner:qse_owner@127.0.0.1:$PG_PORT/qse"
        } >>"$tmp"
    fi
    if manage_redis; then
        echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0" >>"$tmp"
    fi
    mv -f "$tmp" "$ENV_FILE"
}

cmd="${1:-}"
case "$cmd" in
    start)
        if manage_pg; then pg_start; fi
        if manage_redis; then redis_start; fi
        write_env
        ;;
    stop)
        if manage_redis; then redis_stop; fi
        if manage_pg; then pg_stop; fi
        ;;
    status)
        rc=0
        pg_status || rc=1
        redis_status || rc=1
        exit $rc
        ;;
    *)
        echo "usage: $0 {start|stop|status}" >&2
        exit 2
        ;;
esac
