#!/usr/bin/env bash
# `make bench`: build the benchmark's databases (once per scale, kept under the local cluster as
# bench_qse_<scale>), measure every probe as the application role, and check the budgets.
#
#   BENCH_SCALES="0.01 0.1"   scales to run (1 = the full group of DESIGN.md; 1/100 and 1/10 by default)
#   BENCH_REBUILD=1           drop and rebuild the databases
#   BENCH_DB_PREFIX=bench_qse databases' name prefix (another prefix measures a set of one's own)
#
# Output: var/bench/<scale>.json per scale, var/bench/summary.json and a table of ratios. The
# exit status is non-zero when a budget is broken.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCALES="${BENCH_SCALES:-0.01 0.1}"

scripts/services.sh start
set -a
# shellcheck disable=SC1091
. var/env
set +a
mkdir -p var/bench
PY=.venv/bin/python

database_exists() {
    "$PY" - "$1" <<'PYTHON'
import os, sys
import psycopg
with psycopg.connect(os.environ["DATABASE_OWNER_URL"]) as connection:
    found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]]).fetchone()
sys.exit(0 if found else 1)
PYTHON
}

owner_sql() {
    "$PY" -c 'import os, sys, psycopg; psycopg.connect(os.environ["DATABASE_OWNER_URL"], autocommit=True).execute(sys.argv[1])' "$1"
}

files=()
for scale in $SCALES; do
    db="${BENCH_DB_PREFIX:-bench_qse}_${scale//./_}"
    if [ "${BENCH_REBUILD:-0}" = 1 ] && database_exists "$db"; then
        owner_sql "DROP DATABASE $db"
    fi
    if ! database_exists "$db"; then
        echo "bench: building scale $scale into $db"
        owner_sql "CREATE DATABASE $db"
        started=$(date +%s)
        QSE_DB_ROLE=owner QSE_DB_NAME="$db" "$PY" manage.py migrate -v0
        QSE_DB_ROLE=owner QSE_DB_NAME="$db" "$PY" manage.py bench_build --scale "$scale" > "var/bench/build-$scale.json"
        echo "bench: scale $scale built in $(( $(date +%s) - started )) s," \
            "$("$PY" -c 'import os, sys, psycopg; c = psycopg.connect(os.environ["DATABASE_OWNER_URL"]); print(c.execute("SELECT pg_size_pretty(pg_database_size(%s))", [sys.argv[1]]).fetchone()[0])' "$db") on disk"
    fi
    # A database built by an earlier checkout is brought up to the current schema first, then
    # given the rows of the modules that landed since (nothing when it has them already).
    QSE_DB_ROLE=owner QSE_DB_NAME="$db" "$PY" manage.py migrate -v0
    QSE_DB_ROLE=owner QSE_DB_NAME="$db" "$PY" manage.py bench_build --scale "$scale" --extend \
        > "var/bench/extend-$scale.json"
    QSE_DB_NAME="$db" "$PY" -c 'import os, psycopg; psycopg.connect(os.environ["DATABASE_OWNER_URL"].rsplit("/", 1)[0] + "/" + os.environ["QSE_DB_NAME"], autocommit=True).execute("VACUUM ANALYZE")'
    QSE_DB_NAME="$db" "$PY" manage.py bench_measure --scale "$scale" --out "var/bench/$scale.json"
    files+=("var/bench/$scale.json")
done
# Sensor ingestion (objectives/sensors_bench.py): on a database of its own, rebuilt each run,
# 1,000,000 readings per format through the API against a COPY of the same rows.
# BENCH_SENSORS=0 skips it; BENCH_SENSOR_READINGS changes the count.
sensors_status=0
if [ "${BENCH_SENSORS:-1}" = 1 ]; then
    db=bench_sensors
    if database_exists "$db"; then owner_sql "DROP DATABASE $db"; fi
    owner_sql "CREATE DATABASE $db"
    QSE_DB_ROLE=owner QSE_DB_NAME="$db" "$PY" manage.py migrate -v0
    QSE_DB_NAME="$db" "$PY" manage.py bench_sensors --readings "${BENCH_SENSOR_READINGS:-1000000}" \
        --out var/bench/sensors.json > /dev/null || sensors_status=$?
    echo "bench: sensors -> var/bench/sensors.json"
fi

"$PY" manage.py bench_report "${files[@]}" --sensors var/bench/sensors.json --out var/bench/summary.json
exit "$sensors_status"  # 1 when the API ingests at less than 0.3x COPY

