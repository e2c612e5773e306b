"""The raw tables of sensor data, as SQL: readings range-partitioned by month, hourly and
daily roll-ups, the queue of hours to roll up again, and each device's latest state.

Why raw SQL: Django cannot declare a partitioned table, and readings are not records (no
version, no history, no foreign key per row: 70 million rows a year). Every table carries
``organization_id`` inside its primary key (ready for sharding on it), after the device:
pages read one device at a time, and the row-level security predicate (an OR) cannot lead
an index scan and the tenant policy
of qse/rls.py. Partitions are created by ``objectives_sensor_partition(month)``, a SECURITY
DEFINER function owned by the migration's (owner) role: the application role may call it
(from the ingestion or the beat task) but never owns a partition, and each new partition gets
FORCE ROW LEVEL SECURITY and the tenant policy as it is created.
"""

from qse.rls import TENANT_CONDITION_PER_STATEMENT

READINGS = "objectives_sensorreading"
HOURLY = "objectives_sensorhourly"
DAILY = "objectives_sensordaily"
PENDING = "objectives_sensorpendinghour"
STATE = "objectives_sensorstate"
RAW_TABLES = (READINGS, HOURLY, DAILY, PENDING, STATE)
# Local days of the daily roll-up; every offset of this zone is a whole number of hours, so
# a day is exactly a set of UTC hours of the hourly roll-up.
DAY_ZONE = "Europe/Paris"

_ROLLUP_COLUMNS = """
    readings integer NOT NULL,
    total double precision NOT NULL,
    minimum double precision NOT NULL,
    maximum double precision NOT NULL,
    out_of_range integer NOT NULL DEFAULT 0,
    refreshed_at timestamptz NOT NULL DEFAULT now()
"""

CREATE_TABLES = f"""
CREATE TABLE {READINGS} (
    organization_id bigint NOT NULL,
    device_id bigint NOT NULL,
    measured_at timestamptz NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (device_id, measured_at, organization_id)
) PARTITION BY RANGE (measured_at);
CREATE INDEX {READINGS}_measured_brin ON {READINGS} USING brin (measured_at);

CREATE TABLE {HOURLY} (
    organization_id bigint NOT NULL,
    device_id bigint NOT NULL,
    hour timestamptz NOT NULL,
    {_ROLLUP_COLUMNS},
    PRIMARY KEY (device_id, hour, organization_id)
);
CREATE TABLE {DAILY} (
    organization_id bigint NOT NULL,
    device_id bigint NOT NULL,
    day date NOT NULL,
    {_ROLLUP_COLUMNS},
    PRIMARY KEY (device_id, day, organization_id)
);
CREATE TABLE {PENDING} (
    organization_id bigint NOT NULL,
    device_id bigint NOT NULL,
    hour timestamptz NOT NULL,
    PRIMARY KEY (organization_id, device_id, hour)
);
CREATE TABLE {STATE} (
    organization_id bigint NOT NULL,
    device_id bigint NOT NULL,
    last_measured_at timestamptz NOT NULL,
    last_value double precision NOT NULL,
    received bigint NOT NULL DEFAULT 0,
    last_received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, organization_id)
);
"""


# The tenant policy of qse/rls.py, its settings read once per statement: these tables are
# written and read by the hundred thousand rows.
RAW_CONDITION = TENANT_CONDITION_PER_STATEMENT


def policy_sql(table: str) -> str:
    """FORCE row-level security and the tenant policy of qse/rls.py on one table."""
    return (
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;'
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;'
        f'CREATE POLICY tenant_isolation ON "{table}" USING ({RAW_CONDITION}) WITH CHECK ({RAW_CONDITION});'
    )


def alter_policies_sql(condition: str) -> str:
    """Every raw table's tenant policy (each partition's too) set to ``condition``."""
    return f"""
DO $$
DECLARE
    target regclass;
BEGIN
    FOR target IN
        SELECT unnest(ARRAY{list(RAW_TABLES)}::regclass[])
        UNION ALL SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '{READINGS}'::regclass
    LOOP
        EXECUTE format('ALTER POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', target, $c${condition}$c$, $c${condition}$c$);
    END LOOP;
END
$$;
"""


PROTECT_TABLES = "".join(policy_sql(table) for table in RAW_TABLES)

# The month's bounds are UTC midnights; an advisory lock makes two concurrent creators wait
# for each other, and the second one finds the table made.
CREATE_PARTITION_FUNCTION = f"""
CREATE FUNCTION objectives_sensor_partition(p_month date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    first_day date := date_trunc('month', p_month)::date;
    partition_name text := '{READINGS}_' || to_char(first_day, 'YYYY_MM');
    condition text := $c${RAW_CONDITION}$c$;
BEGIN
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN partition_name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext(partition_name));
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN partition_name;
    END IF;
    EXECUTE format(
        'CREATE TABLE %I PARTITION OF {READINGS} FOR VALUES FROM (%L) TO (%L)',
        partition_name,
        (first_day::timestamp AT TIME ZONE 'UTC'),
        ((first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC')
    );
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', partition_name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', partition_name);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (%s) WITH CHECK (%s)',
                   partition_name, condition, condition);
    RETURN partition_name;
END
$$;
"""

# A device token is looked up before any organization is known (row-level security would
# hide every device): this function answers only (device, organization) for one exact,
# unrevoked digest, with the cross-organization setting on for its own duration only.
CREATE_TOKEN_FUNCTION = """
CREATE FUNCTION objectives_device_for_token(p_digest text)
RETURNS TABLE (device_id bigint, organization_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    saved text := coalesce(current_setting('qse.all_organizations', true), '');
BEGIN
    PERFORM set_config('qse.all_organizations', 'on', true);
    RETURN QUERY
        SELECT d.id, d.organization_id FROM objectives_device d
        WHERE d.token_digest = p_digest AND p_digest <> '' AND d.token_revoked_at IS NULL AND d.archived_at IS NULL;
    PERFORM set_config('qse.all_organizations', saved, true);
END
$$;
"""

DROP_ALL = f"""
DROP FUNCTION IF EXISTS objectives_device_for_token(text);
DROP FUNCTION IF EXISTS objectives_sensor_partition(date);
DROP TABLE IF EXISTS {STATE}, {PENDING}, {DAILY}, {HOURLY}, {READINGS} CASCADE;
"""

# The months a fresh database gets; the beat task keeps three months ahead from then on.
INITIAL_PARTITIONS = """
SELECT objectives_sensor_partition((date_trunc('month', now()) + make_interval(months => m))::date)
FROM generate_series(-1, 2) AS m;
"""
