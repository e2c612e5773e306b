#!/usr/bin/env bash
# `make test`: local services (unless DATABASE_URL / REDIS_URL are set), then pytest.
# Arguments are passed to pytest. The services this run started are stopped even when
# the tests fail; the exit status is pytest's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SERVICES_STARTED=0
# The caller's DATABASE_URL / REDIS_URL (empty: local services), before var/env is loaded.
ORIG_DATABASE_URL="${DATABASE_URL:-}"
ORIG_REDIS_URL="${REDIS_URL:-}"
if ! scripts/services.sh status >/dev/null 2>&1; then
    SERVICES_STARTED=1
fi

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
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

# Browser tests (Playwright driving the system Chromium) run in an event loop.
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export QSE_CHROMIUM="${QSE_CHROMIUM:-/usr/bin/chromium}"

set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
exit "$rc"
