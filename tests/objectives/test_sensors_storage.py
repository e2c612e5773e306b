"""Storage of readings: row-level security on the partitioned table and its partitions (as
the application role, with a second organization), roll-ups checked against averages worked
out by hand, late data, local days, limits changed, and the selectors' query counts."""

from __future__ import annotations

import datetime
import importlib
import itertools
import json
import zoneinfo

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_celery_beat.models import PeriodicTask

from objectives import selectors_sensors, sensors_ingest, sensors_rollups, sensors_services
from objectives.sensors_choices import Grain
from objectives.sensors_ingest import RawRow
from objectives.sensors_sql import DAILY, HOURLY, PENDING, RAW_TABLES, READINGS, STATE
from objectives.sensors_tasks import sensors_partitions_task, sensors_rollups_fan_out
from qse.models import Membership
from qse.tenancy import organization_context
from qse.testing import count_queries

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
# A Tuesday in the past, whole UTC hours: 2026-11-24 09:00 UTC is 10:00 in Paris.
NINE = datetime.datetime(2026, 11, 24, 9, tzinfo=UTC)
NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=UTC)


def ingest(device, readings: list[tuple[datetime.datetime, float]]):
    numbers = itertools.count(1)
    rows = [RawRow(next(numbers), None, at.isoformat(), value) for at, value in readings]
    with organization_context(device.organization):
        report = sensors_ingest.readings_ingest_rows(organization=device.organization, rows=rows, devices={}, default=device, now=NOW)
    assert not report.errors, report.errors
    return report


def refresh(device):
    return sensors_rollups.rollups_refresh(organization=device.organization)


def hourly(device, hour):
    with organization_context(device.organization):
        points = selectors_sensors.device_series(device_id=device.pk, start=hour.astimezone(PARIS).date(),
                                                 end=hour.astimezone(PARIS).date() + datetime.timedelta(days=1), grain=Grain.HOUR)
    return {p.at: (p.readings, p.mean, p.minimum, p.maximum, p.out_of_range) for p in points}


def scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


# --- row-level security ----------------------------------------------------------------------

def test_the_parent_every_partition_and_the_roll_ups_force_the_tenant_policy_and_the_app_role_owns_none(db):
    assert scalar("SELECT current_user") == settings.DB_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity, pg_get_userbyid(c.relowner),"
            " EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation')"
            " FROM pg_class c WHERE c.relkind IN ('r', 'p') AND (c.relname = ANY(%s) OR c.relname LIKE %s)",
            [list(RAW_TABLES), f"{READINGS}_%"],
        )
        tables = cursor.fetchall()
    partitions = [t for t in tables if t[0].startswith(f"{READINGS}_")]
    assert len(partitions) >= 4 and len(tables) == len(RAW_TABLES) + len(partitions)
    assert all(forced and owner != settings.DB_APP_ROLE and policy for _name, forced, owner, policy in tables), tables


def test_the_raw_tables_policy_reads_the_tenant_settings_once_per_statement_not_once_per_row(db):
    """Written by hand: each setting behind a scalar subquery (PostgreSQL's InitPlan)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, qual, with_check FROM pg_policies WHERE tablename = ANY(%s) OR tablename LIKE %s",
            [list(RAW_TABLES), f"{READINGS}_%"],
        )
        policies = cursor.fetchall()
    assert len(policies) >= len(RAW_TABLES) + 4
    for table, using, check in policies:
        for condition in (using, check):
            assert "( SELECT (NULLIF(current_setting('qse.organization_id'::text, true)" in condition, (table, condition)
            assert "( SELECT (current_setting('qse.all_organizations'::text, true) = 'on'::text))" in condition, (table, condition)


def test_every_table_with_an_organization_column_has_the_tenant_policy(db):
    """Whatever made it (a model, a raw migration, the partition function); but the tables a
    model declares outside tenancy (API tokens, looked up before any organization is known)."""
    exempt = [m._meta.db_table for m in apps.get_models() if getattr(m, "tenant_table", True) is False]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id'"
            " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'"
            " WHERE c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity"
            " AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname)) AND NOT c.relname = ANY(%s)",
            [exempt],
        )
        assert cursor.fetchall() == []


def test_readings_and_roll_ups_of_another_organization_are_invisible_even_in_raw_sql(world, noise, other_noise):
    ingest(noise, [(NINE, 70.0)])
    ingest(other_noise, [(NINE, 90.0)])
    refresh(noise), refresh(other_noise)
    partition = f"{READINGS}_2026_11"
    with organization_context(world.a.organization), connection.cursor() as cursor:
        for table in (READINGS, HOURLY, DAILY, STATE):
            cursor.execute(f"SELECT DISTINCT organization_id FROM {table}")
            assert [row[0] for row in cursor.fetchall()] == [world.a.organization.pk], table
        # Straight into the partition: the app role has no grant on partitions made later,
        # and this one (made at migrate time) has the policy too.
        try:
            with transaction.atomic():
                cursor.execute(f"SELECT DISTINCT organization_id FROM {partition}")
                assert [row[0] for row in cursor.fetchall()] == [world.a.organization.pk]
        except DatabaseError as refused:
            assert "permission denied" in str(refused)


def test_a_reading_cannot_be_written_into_another_organization(world, noise):
    with pytest.raises(DatabaseError), organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {READINGS} (organization_id, device_id, measured_at, value) VALUES (%s, %s, %s, 1)",
                       [world.b.organization.pk, noise.pk, NINE])


def test_without_an_active_organization_no_reading_is_visible(world, noise):
    ingest(noise, [(NINE, 70.0)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', 'off', true)")
        cursor.execute(f"SELECT count(*) FROM {READINGS}")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT set_config('qse.all_organizations', 'on', true)")


# --- roll-ups --------------------------------------------------------------------------------

def test_hourly_roll_ups_hold_the_hand_computed_count_mean_extremes_and_out_of_range(world, noise):
    ingest(noise, [
        (NINE, 70.0), (NINE + datetime.timedelta(minutes=20), 80.0), (NINE + datetime.timedelta(minutes=40), 96.0),
        (NINE + datetime.timedelta(hours=1), 60.0), (NINE + datetime.timedelta(hours=1, minutes=30), 61.0),
    ])
    assert refresh(noise) == 2
    assert hourly(noise, NINE) == {
        NINE: (3, 82.0, 70.0, 96.0, 1),  # (70 + 80 + 96) / 3 = 82; 96 > 85
        NINE + datetime.timedelta(hours=1): (2, 60.5, 60.0, 61.0, 0),
    }
    assert scalar(f"SELECT count(*) FROM {PENDING}") == 0


def test_daily_roll_ups_follow_local_days_not_utc_days(world, noise):
    # 22:30 UTC on the 24th is 23:30 in Paris (the 24th); 23:30 UTC is 00:30 on the 25th in Paris.
    late_evening = datetime.datetime(2026, 11, 24, 22, 30, tzinfo=UTC)
    ingest(noise, [(NINE, 70.0), (late_evening, 80.0), (late_evening + datetime.timedelta(hours=1), 50.0)])
    refresh(noise)
    with organization_context(world.a.organization):
        days = selectors_sensors.device_series(device_id=noise.pk, start=datetime.date(2026, 11, 24),
                                               end=datetime.date(2026, 11, 26), grain=Grain.DAY)
    assert [(p.at, p.readings, p.mean) for p in days] == [
        (datetime.date(2026, 11, 24), 2, 75.0), (datetime.date(2026, 11, 25), 1, 50.0)]


def test_late_data_re_aggregates_its_hour_and_its_day_only(world, noise):
    ingest(noise, [(NINE, 70.0), (NINE + datetime.timedelta(minutes=30), 80.0), (NINE + datetime.timedelta(hours=5), 65.0)])
    refresh(noise)
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT hour, refreshed_at FROM {HOURLY} WHERE device_id = %s", [noise.pk])
        refreshed_before = dict(cursor.fetchall())
    ingest(noise, [(NINE + datetime.timedelta(minutes=10), 90.0)])  # arrives after the hour was rolled up
    assert scalar(f"SELECT count(*) FROM {PENDING}") == 1
    assert refresh(noise) == 1
    assert hourly(noise, NINE)[NINE] == (3, 80.0, 70.0, 90.0, 1)  # (70 + 90 + 80) / 3
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT hour, refreshed_at FROM {HOURLY} WHERE device_id = %s", [noise.pk])
        after = dict(cursor.fetchall())
        cursor.execute(f"SELECT readings, total FROM {DAILY} WHERE device_id = %s", [noise.pk])
        assert cursor.fetchall() == [(4, 305.0)]
    later = NINE + datetime.timedelta(hours=5)
    assert after[later] == refreshed_before[later]  # the untouched hour was not recomputed


def test_a_replayed_batch_queues_nothing_to_roll_up_again(world, noise):
    batch = [(NINE, 70.0), (NINE + datetime.timedelta(minutes=1), 71.0)]
    ingest(noise, batch)
    refresh(noise)
    assert ingest(noise, batch).inserted == 0
    assert scalar(f"SELECT count(*) FROM {PENDING}") == 0


def test_changing_the_limits_re_counts_the_out_of_range_readings(world, noise, coordinator):
    ingest(noise, [(NINE, 70.0), (NINE + datetime.timedelta(minutes=1), 82.0)])
    refresh(noise)
    assert hourly(noise, NINE)[NINE][4] == 0
    membership = Membership.objects.select_related("organization").get(user=coordinator, organization=world.a.organization)
    with organization_context(world.a.organization, membership):
        sensors_services.device_update(device=noise, acting_user=coordinator, data={"limit_high": 80.0}, expected_version=None)
    refresh(noise)
    assert hourly(noise, NINE)[NINE][4] == 1


def test_two_organizations_roll_up_separately(world, noise, other_noise):
    ingest(noise, [(NINE, 70.0)])
    ingest(other_noise, [(NINE, 100.0)])
    assert refresh(noise) == 1  # only A's queue
    assert hourly(noise, NINE)[NINE] == (1, 70.0, 70.0, 70.0, 0)
    assert hourly(other_noise, NINE) == {}
    assert refresh(other_noise) == 1
    assert hourly(other_noise, NINE)[NINE] == (1, 100.0, 100.0, 100.0, 1)


# --- selectors -------------------------------------------------------------------------------

def test_latest_values_and_period_aggregates_of_several_devices_take_one_query(world, noise):
    from objectives.sensors_factories import DeviceFactory

    energy = DeviceFactory(site=world.a.site, code="cpt-1", unit="kWh", valid_min=0, valid_max=1000, limit_high=None)
    silent = DeviceFactory(site=world.a.site, code="sono-muet")
    ingest(noise, [(NINE, 70.0), (NINE + datetime.timedelta(days=1), 90.0)])
    ingest(energy, [(NINE, 12.5), (NINE + datetime.timedelta(hours=1), 13.5)])
    refresh(noise)
    with organization_context(world.a.organization):
        ids = [noise.pk, energy.pk, silent.pk]
        start, end = datetime.date(2026, 11, 24), datetime.date(2026, 11, 25)
        assert count_queries(lambda: selectors_sensors.devices_figures(device_ids=ids, start=start, end=end)) == 1
        figures = selectors_sensors.devices_figures(device_ids=ids, start=start, end=end)
    noise_figures = figures[noise.pk]
    assert (noise_figures.last_value, noise_figures.readings, noise_figures.mean, noise_figures.out_of_range) == (90.0, 1, 70.0, 0)
    assert (figures[energy.pk].last_value, figures[energy.pk].readings, figures[energy.pk].mean) == (13.5, 2, 13.0)
    assert (figures[silent.pk].last_value, figures[silent.pk].readings, figures[silent.pk].mean) == (None, 0, None)


# --- tasks -----------------------------------------------------------------------------------

def test_the_partition_task_makes_the_coming_months_and_is_idempotent(db):
    first = sensors_partitions_task(months_ahead=14)
    assert sensors_partitions_task(months_ahead=14) == first
    assert len(first) == 15 and len(set(first)) == 15
    assert all(scalar("SELECT to_regclass(%s) IS NOT NULL", [name]) for name in first)


def test_the_fan_out_names_only_organizations_with_queued_hours(world, noise, django_capture_on_commit_callbacks):
    assert sensors_rollups_fan_out() == 0
    ingest(noise, [(NINE, 70.0)])
    assert sensors_rollups_fan_out() == 1


def test_the_beat_migration_creates_both_schedules_once_and_its_reverse_removes_them(db):
    migration = importlib.import_module("objectives.migrations.0004_sensor_schedules")
    migration.create_schedules(apps, None)
    migration.create_schedules(apps, None)
    rollups = PeriodicTask.objects.get(name="Roll up sensor readings")
    partitions = PeriodicTask.objects.get(name="Create sensor partitions ahead")
    assert (rollups.task, rollups.interval.every, rollups.interval.period) == (
        "objectives.sensors_tasks.sensors_rollups_fan_out", 1, "minutes")
    assert (partitions.task, partitions.crontab.hour, json.loads(partitions.kwargs)) == (
        "objectives.sensors_tasks.sensors_partitions_task", "2", {})
    migration.delete_schedules(apps, None)
    assert not PeriodicTask.objects.filter(name__in=[rollups.name, partitions.name]).exists()
