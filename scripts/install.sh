#!/usr/bin/env bash
# Install what Pilote QSE needs to run and test locally. Idempotent and fast on re-run:
#   1. Debian packages (only as root, only when something is missing),
#   2. uv (when not on PATH),
#   3. the virtualenv .venv from uv.lock (uv sync),
#   4. compiled translations (compilemessages) when locale directories exist.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf 'install: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- Debian packages
DEB_PACKAGES=(
    postgresql-contrib
    redis-server
    chromium
    libharfbuzz-subset0
    libpango-1.0-0
    libpangoft2-1.0-0
    gettext
    fonts-dejavu-core
    poppler-utils
)

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        missing+=(postgresql-15)
    fi
    for p in "${DEB_PACKAGES[@]}"; do
        deb_installed "$p" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "installing Debian packages: ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq >/dev/null
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
            # The Debian redis-server/postgresql packages may start system-wide services;
            # we use project-local instances (scripts/services.sh) on other ports, so
            # they do not conflict.
        else
            log "warning: missing Debian packages (install them as root): ${missing[*]}"
        fi
    fi
fi

# ---------------------------------------------------------------- uv
if ! command -v uv >/dev/null 2>&1; then
    log "installing uv"
    python3 -m pip install --quiet uv 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages uv
    hash -r
    if ! command -v uv >/dev/null 2>&1; then
        # pip --user installs land in ~/.local/bin
        export PATH="$HOME/.local/bin:$PATH"
    fi
    command -v uv >/dev/null 2>&1 || { log "error: uv not found after installation"; exit 1; }
fi

# ---------------------------------------------------------------- virtualenv
if [ -f uv.lock ]; then
    uv sync --frozen --compile-bytecode --quiet
else
    uv sync --compile-bytecode --quiet
fi

# ---------------------------------------------------------------- translations
if [ -f manage.py ] && command -v msgfmt >/dev/null 2>&1; then
    if find . -path ./.venv -prune -o -path ./var -prune -o -path ./node_modules -prune \
        -o -type d -name locale -print -quit | grep -q .; then
        .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=var \
            --ignore=node_modules >/dev/null
    fi
fi
