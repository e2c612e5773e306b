#!/usr/bin/env bash
# `make run`: local services, migrations, demo data, then Celery worker + beat and the
# Django development server together. Ctrl-C stops everything this script started.
#
# DATABASE_URL / REDIS_URL set in the environment: they are used as they are and the
# corresponding local service is not started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-8000}"
SERVICES_STARTED=0
# The caller's DATABASE_URL / REDIS_URL (empty: local services), before var/env is loaded.
ORIG_DATABASE_URL="${DATABASE_URL:-}"
ORIG_REDIS_URL="${REDIS_URL:-}"
PIDS=()

# Did this run start the local services? (Only then does it stop them on exit.)
if ! scripts/services.sh status >/dev/null 2>&1; then
    SERVICES_STARTED=1
fi

cleanup() {
    local rc=$?
    trap - INT TERM EXIT
    if [ "${#PIDS[@]}" -gt 0 ]; then
        echo
        echo "Stopping..."
        kill -TERM "${PIDS[@]}" 2>/dev/null || true
        # Give Celery a moment for a warm shutdown, then force.
        local i
        for i in $(seq 1 50); do
            local alive=0 p
            for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
            [ "$alive" = 0 ] && break
            sleep 0.2
        done
        kill -KILL "${PIDS[@]}" 2>/dev/null || true
        wait 2>/dev/null || true
    fi
    if [ "$SERVICES_STARTED" = 1 ]; then
        DATABASE_URL="$ORIG_DATABASE_URL" REDIS_URL="$ORIG_REDIS_URL" scripts/services.sh stop || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/services.sh start
set -a
# shellcheck disable=SC1091
. var/env
set +a

QSE_DB_ROLE=owner .venv/bin/python manage.py migrate --noinput
QSE_DB_ROLE=owner .venv/bin/python manage.py seed_demo

.venv/bin/celery -A qse worker -l info --concurrency 2 -Q celery,pdf &
PIDS+=($!)
.venv/bin/celery -A qse beat -l info \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler &
PIDS+=($!)
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" &
PIDS+=($!)

cat <<EOF

  Pilote QSE is running: http://127.0.0.1:$PORT/

  Demo accounts (password: pilote-demo)
    Usinage Précis du Rhône : admin, coordinator, manager, owner, auditor, contributor
    Chimie Fine de l'Isère  : other

  Press Ctrl-C to stop.

EOF

# Stop everything as soon as one of the processes exits (or on Ctrl-C).
set +e
wait -n "${PIDS[@]}"
rc=$?
set -e
echo "A process exited (status $rc); stopping the others." >&2
exit "$rc"
