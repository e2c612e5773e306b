"""Batches of readings through the API: device tokens and user tokens, JSON and CSV, every
row checked with its own message, nothing half-written, and a replay storing nothing twice."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from objectives import sensors_services
from objectives.sensors_sql import PENDING, READINGS, STATE
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import organization_context
from qse.tokens import token_create

URL = "/api/v1/objectives/readings/"
NOW = timezone.now().replace(microsecond=0)


def at(minutes_ago: int) -> str:
    return (NOW - datetime.timedelta(minutes=minutes_ago)).isoformat()


def stored(organization) -> list[tuple]:
    """(device, measured_at, value) of an organization's readings, as the app role sees them."""
    with organization_context(organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT device_id, measured_at, value FROM {READINGS} ORDER BY device_id, measured_at")
        return cursor.fetchall()


def device_key(device, user) -> str:
    membership = Membership.objects.select_related("organization").get(user=user, organization=device.organization)
    with organization_context(device.organization, membership):
        return sensors_services.device_token_issue(device=device, acting_user=user)[1]


@pytest.fixture
def key(noise, coordinator):
    return device_key(noise, coordinator)


def post(client, body, key=None, *, token=None, csv=False):
    headers = {"Authorization": f"Device {key}"} if key else {"Authorization": f"Token {token}"} if token else {}
    headers["Accept-Language"] = "en"  # the messages below are the English ones (French: see its own test)
    if csv:
        return client.post(URL, body, content_type="text/csv", headers=headers)
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_device_token_stores_a_json_batch_and_a_replay_stores_nothing_twice(client, world, noise, key):
    batch = {"readings": [{"at": at(3), "value": 72.5}, {"at": at(2), "value": 88.0, "unit": "dB(A)"}, {"at": at(1), "value": 64}]}
    first = post(client, batch, key)
    assert first.status_code == 200, first.content
    assert first.json() == {"received": 3, "inserted": 3, "already_stored": 0, "errors": []}
    replay = post(client, batch, key)
    assert replay.json() == {"received": 3, "inserted": 0, "already_stored": 3, "errors": []}
    assert [(d, v) for d, _at, v in stored(world.a.organization)] == [(noise.pk, 72.5), (noise.pk, 88.0), (noise.pk, 64.0)]
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, received FROM {STATE} WHERE device_id = %s", [noise.pk])
        assert cursor.fetchone() == (64.0, 3)


def test_a_csv_batch_with_semicolons_and_decimal_commas_is_stored(client, world, noise, key):
    body = f"at;value;unit\n{at(2)};71,5;dB(A)\n{at(1)};73;\n"
    response = post(client, body, key, csv=True)
    assert response.status_code == 200, response.content
    assert [v for _d, _at, v in stored(world.a.organization)] == [71.5, 73.0]


def test_every_bad_row_is_reported_with_its_row_and_field_and_nothing_is_written(client, world, noise, key):
    body = "\n".join([
        "device,at,value,unit",
        f"sono-p3,{at(10)},70,dB(A)",          # line 2: fine
        f"sono-p3,{at(9)},70,ppm",             # 3: wrong unit
        f"sono-p3,{at(8)},abc,",               # 4: not a number
        f"sono-p3,{at(7)},150,",               # 5: outside 30..140
        "sono-p3,2026-11-30 07:00:00,70,",    # 6: no time zone
        f"sono-p3,{at(-60)},70,",              # 7: an hour in the future
        f"sono-p3,{at(10)},71,",               # 8: same time as line 2
        f"sono-p3,{at(20)},71,",               # 9: earlier than line 2
        f"autre,{at(5)},71,",                  # 10: another device than the token's
        "sono-p3,hier,71,",                   # 11: not a date
    ])
    response = post(client, body, key, csv=True)
    assert response.status_code == 400
    errors = [(e["row"], e["field"]) for e in response.json()["errors"]]
    assert errors == [(3, "unit"), (4, "value"), (5, "value"), (6, "at"), (7, "at"), (8, "at"), (9, "at"), (10, "device"), (11, "at")]
    messages = {e["row"]: e["message"] for e in response.json()["errors"]}
    assert messages[8] == "Duplicate of row 2." and messages[9] == "Out of order: earlier than row 2."
    assert response.json()["inserted"] == 0
    assert stored(world.a.organization) == []


def test_a_batch_is_refused_whole_even_when_one_row_out_of_many_is_wrong(client, world, noise, key):
    readings = [{"at": at(500 - i), "value": 60 + i % 20} for i in range(400)]
    readings[399]["value"] = 20  # below the valid range
    response = post(client, {"readings": readings}, key)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 400, "field": "value", "message": "20.0 is outside the sensor's valid range (30.0 to 140.0)."}]
    assert stored(world.a.organization) == []


def test_errors_are_in_french_for_a_french_sender(client, world, noise, key):
    response = client.post(URL, {"readings": [{"at": at(1), "value": "x"}]}, content_type="application/json",
                           headers={"Authorization": f"Device {key}", "Accept-Language": "fr"})
    assert response.json()["errors"][0]["message"] == "Pas un nombre : x."


def test_a_batch_that_is_not_a_list_or_is_empty_is_a_clear_400(client, noise, key):
    assert post(client, {"readings": "x"}, key).json()["detail"] == 'Send a list of readings, or an object with a "readings" list.'
    assert post(client, [], key).json()["detail"] == "The batch holds no reading."
    assert post(client, "value\n1\n", key, csv=True).json()["detail"] == "The CSV header must name the columns: at."


def test_a_revoked_or_unknown_device_token_is_refused(client, world, noise, coordinator, key):
    assert post(client, [{"at": at(1), "value": 70}], "nope").status_code == 401
    membership = Membership.objects.select_related("organization").get(user=coordinator, organization=world.a.organization)
    with organization_context(world.a.organization, membership):
        sensors_services.device_token_revoke(device=noise, acting_user=coordinator)
    response = post(client, [{"at": at(1), "value": 70}], key)
    assert response.status_code == 401 and response.json()["detail"] == "Invalid or revoked sensor token."
    assert post(client, [{"at": at(1), "value": 70}]).status_code == 401  # no credentials at all
    assert stored(world.a.organization) == []


def test_a_new_token_replaces_the_old_one(client, world, noise, coordinator, key):
    newer = device_key(noise, coordinator)
    assert post(client, [{"at": at(1), "value": 70}], key).status_code == 401
    assert post(client, [{"at": at(1), "value": 70}], newer).status_code == 200


def test_a_device_token_writes_only_into_its_own_organization(client, world, noise, other_noise, coordinator):
    beta_key = device_key(other_noise, world.b.users[Role.COORDINATOR])
    assert post(client, [{"device": "sono-p3", "at": at(1), "value": 70}], beta_key).status_code == 200
    assert stored(world.a.organization) == []
    assert [d for d, _at, _v in stored(world.b.organization)] == [other_noise.pk]


def test_a_coordinators_api_token_names_devices_by_code_within_its_organization(client, world, noise, other_noise, coordinator):
    token = token_create(user=coordinator, organization=world.a.organization, name="passerelle")
    body = {"readings": [{"device": "sono-p3", "at": at(2), "value": 70}, {"device": "ailleurs", "at": at(1), "value": 70}]}
    refused = post(client, body, token=token)
    assert refused.status_code == 400 and refused.json()["errors"] == [{"row": 2, "field": "device", "message": "Unknown sensor: ailleurs."}]
    accepted = post(client, {"readings": body["readings"][:1]}, token=token)
    assert accepted.status_code == 200
    assert [d for d, _at, _v in stored(world.a.organization)] == [noise.pk]
    assert stored(world.b.organization) == []


def test_a_member_who_may_not_change_sensors_cannot_push_readings(client, world, noise):
    token = token_create(user=world.a.users[Role.PROCESS_OWNER], organization=world.a.organization, name="script")
    assert post(client, [{"device": "sono-p3", "at": at(1), "value": 70}], token=token).status_code == 403
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert post(client, [{"device": "sono-p3", "at": at(1), "value": 70}]).status_code == 403


def test_a_reading_of_a_month_without_partition_creates_it_owned_by_the_owner_with_its_policy(client, world, noise, key):
    old = NOW.replace(day=15) - datetime.timedelta(days=400)
    assert post(client, [{"at": old.isoformat(), "value": 70}], key).status_code == 200
    name = f"{READINGS}_{old.astimezone(datetime.UTC):%Y_%m}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(c.relowner) <> current_user, c.relrowsecurity AND c.relforcerowsecurity,"
            " (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation')"
            " FROM pg_class c WHERE c.relname = %s", [name])
        assert cursor.fetchone() == (True, True, 1)
    assert len(stored(world.a.organization)) == 1


def test_ingested_hours_are_queued_for_the_roll_ups_once_per_hour(client, world, noise, key):
    hour = NOW.replace(minute=0, second=0) - datetime.timedelta(hours=3)
    readings = [{"at": (hour + datetime.timedelta(minutes=m)).isoformat(), "value": 70} for m in (0, 15, 59, 60)]
    post(client, readings, key)
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT hour FROM {PENDING} WHERE device_id = %s ORDER BY hour", [noise.pk])
        assert [row[0] for row in cursor.fetchall()] == [hour, hour + datetime.timedelta(hours=1)]


def test_ingesting_a_batch_costs_a_fixed_number_of_queries(client, world, noise, key):
    from qse.testing import count_queries

    small = count_queries(lambda: post(client, [{"at": at(i), "value": 70} for i in range(5, 0, -1)], key))
    large = count_queries(lambda: post(client, [{"at": at(2000 + i), "value": 70} for i in range(1500, 0, -1)], key))
    assert small == large <= 24  # middleware, token, partitions, staging, check, insert, queue and state


def test_a_clean_batch_is_checked_by_postgresql_and_a_doubtful_one_row_by_row(client, world, noise, key):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as clean:
        assert post(client, [{"at": at(3), "value": 70}, {"at": at(2), "value": 71}], key).status_code == 200
    with CaptureQueriesContext(connection) as doubtful:  # a decimal comma: PostgreSQL's check declines it
        assert post(client, f"at;value\n{at(1)};71,5\n", key, csv=True).status_code == 200
    assert not any("COPY objectives_reading_batch" in q["sql"] for q in clean.captured_queries)
    assert any("COPY objectives_reading_batch" in q["sql"] for q in doubtful.captured_queries)
    assert [v for _d, _at, v in stored(world.a.organization)] == [70.0, 71.0, 71.5]


def test_an_iso_week_date_postgresql_does_not_read_is_stored_by_the_careful_path(client, world, noise, key):
    response = post(client, [{"at": "2026-W48-1T07:00:00+00:00", "value": 70}], key)
    assert response.status_code == 200 and response.json()["inserted"] == 1
    assert [at for _d, at, _v in stored(world.a.organization)] == [datetime.datetime(2026, 11, 23, 7, tzinfo=datetime.UTC)]


@pytest.fixture
def eager_celery():
    from qse.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_a_stored_batch_has_its_hours_rolled_up_by_the_task_it_enqueues(client, world, noise, key, eager_celery,
                                                                          django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.delete(f"objectives:sensors-rollups:{world.a.organization.pk}")  # the debounce of an earlier run
    hour = NOW.replace(minute=0, second=0) - datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, [{"at": (hour + datetime.timedelta(minutes=m)).isoformat(), "value": v} for m, v in ((5, 60), (35, 90))], key)
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute("SELECT readings, total / readings, out_of_range FROM objectives_sensorhourly WHERE device_id = %s", [noise.pk])
        assert cursor.fetchall() == [(2, 75.0, 1)]
        cursor.execute(f"SELECT count(*) FROM {PENDING}")
        assert cursor.fetchone()[0] == 0


def test_the_usual_spellings_of_times_and_numbers_pass_postgresqls_check_without_regular_expressions(client, world, noise, key):
    from django.test.utils import CaptureQueriesContext

    base = NOW.astimezone(datetime.timezone(datetime.timedelta(hours=1))).replace(second=0) - datetime.timedelta(hours=3)
    spelled = [  # space separator and +0100, fractions, Z, minutes only with +01, an exponent
        (base.strftime("%Y-%m-%d %H:%M:%S+0100"), "70"),
        (base.strftime("%Y-%m-%dT%H:%M:01.25+01:00"), "7.05e1"),
        ((base + datetime.timedelta(minutes=1)).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "-.5e2"),
        ((base + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M+01"), "+71."),
    ]
    noise.valid_min = -100
    noise.save(update_fields=["valid_min"])
    with CaptureQueriesContext(connection) as queries:
        response = post(client, "at,value\n" + "".join(f"{t},{v}\n" for t, v in spelled), key, csv=True)
    assert response.status_code == 200 and response.json()["inserted"] == 4
    assert not any("COPY objectives_reading_batch" in q["sql"] for q in queries.captured_queries)  # no careful path
    assert [v for _d, _at, v in stored(world.a.organization)] == [70.0, 70.5, -50.0, 71.0]
    assert stored(world.a.organization)[1][1] == base.replace(second=1, microsecond=250000)


@pytest.mark.parametrize("spelling", ["T24:00:00+00:00", "T23:59:60+00:00", "T23:60+00:00"])
def test_a_time_postgresql_would_read_but_python_refuses_is_refused_with_its_row(client, noise, key, spelling):
    day = (NOW - datetime.timedelta(days=2)).date().isoformat()
    response = post(client, f"at,value\n{day}{spelling},70\n", key, csv=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 2 and response.json()["errors"][0]["field"] == "at"


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("spelling, message", [
    ("2026-13-02T10:00:00+00:00", "Not a date and time"),  # month 13: PostgreSQL refuses it, then Python
    ("2026-02-30T10:00:00+00:00", "Not a date and time"),
    ("2026-00-10T10:00:00+00:00", "Not a date and time"),
    ("2026-11-10T10:00:00+24:00", "Not a date and time"),  # an offset of a day
])
def test_a_plain_time_out_of_the_calendar_is_refused_with_its_row_in_both_formats(client, world, noise, key, fmt, spelling,
                                                                                   message):
    rows = [(at(3), 70), (spelling, 71), (at(1), 72)]
    if fmt == "csv":
        response = post(client, "at,value\n" + "".join(f"{t},{v}\n" for t, v in rows), key, csv=True)
    else:
        response = post(client, {"readings": [{"at": t, "value": v} for t, v in rows]}, key)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["row"] == (3 if fmt == "csv" else 2) and error["field"] == "at" and error["message"].startswith(message)
    assert stored(world.a.organization) == []


def test_a_plain_batch_is_typed_by_postgresql_without_the_text_checks_or_the_careful_path(client, world, noise, key):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as csv_queries:
        response = post(client, f"at,value\n{at(4)},70\n{at(3)},71.5\n", key, csv=True)
    assert response.status_code == 200 and response.json()["inserted"] == 2
    with CaptureQueriesContext(connection) as json_queries:
        response = post(client, {"readings": [{"value": 72, "at": at(2)}, {"at": at(1), "unit": "dB(A)", "value": 7.3e1}]}, key)
    assert response.status_code == 200 and response.json()["inserted"] == 2
    sql = " ".join(q["sql"] for q in csv_queries.captured_queries + json_queries.captured_queries)
    assert "objectives_reading_raw" not in sql and "objectives_reading_batch" not in sql and "COPY" not in sql
    assert [v for _d, _at, v in stored(world.a.organization)] == [70.0, 71.5, 72.0, 73.0]


def test_two_plain_csv_batches_in_one_transaction_store_each_its_own_rows(client, world, noise, key):
    first = post(client, f"at,value\n{at(6)},60\n{at(5)},61\n{at(4)},62\n", key, csv=True)
    second = post(client, f"at,value\n{at(3)},63\n{at(2)},64\n", key, csv=True)
    assert first.json()["inserted"] == 3 and second.json()["inserted"] == 2
    assert [v for _d, _at, v in stored(world.a.organization)] == [60.0, 61.0, 62.0, 63.0, 64.0]


def test_a_plain_batch_with_one_bad_row_is_still_reported_row_by_row(client, world, noise, key):
    response = post(client, f"at,value\n{at(3)},70\n{at(2)},150\n{at(1)},71\n", key, csv=True)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 3, "field": "value", "message": "150.0 is outside the sensor's valid range (30.0 to 140.0)."}]
    assert stored(world.a.organization) == []


def test_a_time_hidden_behind_an_escaped_key_is_not_taken_for_plain_and_is_read_by_python(client, world, noise, key):
    body = '{"readings": [{"\\u0061t": "2026-W48-1T07:00:00+00:00", "value": 70}]}'
    response = client.post(URL, body, content_type="application/json", headers={"Authorization": f"Device {key}"})
    assert response.status_code == 200 and response.json()["inserted"] == 1
    assert [at for _d, at, _v in stored(world.a.organization)] == [datetime.datetime(2026, 11, 23, 7, tzinfo=datetime.UTC)]


def statements_built(monkeypatch) -> list[str]:
    """The checking statements the fast path builds (it runs them on psycopg's own cursor,
    which Django's query capture does not see)."""
    from objectives import sensors_ingest_sql

    built = []

    def recording(build):
        def record(*args, **kwargs):
            built.append(build(*args, **kwargs))
            return built[-1]
        return record

    for name in ("insert_checked_statement", "insert_rows_statement"):
        monkeypatch.setattr(sensors_ingest_sql, name, recording(getattr(sensors_ingest_sql, name)))
    return built


def test_reading_objects_in_the_documented_order_are_split_as_text_and_store_exactly_their_values(
        client, world, noise, key, monkeypatch):
    """Not parsed by PostgreSQL's JSON reader: split on braces and quotes (sensors_shapes)."""
    from django.test.utils import CaptureQueriesContext

    built = statements_built(monkeypatch)

    body = (f'{{"readings": [{{"at": "{at(3)}", "value": 70.25, "unit": "dB(A)"}}, {{"at": "{at(2)}", "value": -0}}, '
            f'{{"at": "{at(1)}", "value": 7.1e1, "unit": ""}}]}}')
    noise.valid_min = -10
    noise.save(update_fields=["valid_min"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, body, content_type="application/json", headers={"Authorization": f"Device {key}"})
    assert response.status_code == 200 and response.json()["inserted"] == 3
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "objectives_reading_raw" not in sql and "COPY" not in sql  # neither the text checks nor the careful path
    assert len(built) == 1 and "string_to_table(%(body)s, '}')" in built[0] and "json_to_recordset" not in built[0]
    assert stored(world.a.organization) == [
        (noise.pk, datetime.datetime.fromisoformat(at(3)), 70.25),
        (noise.pk, datetime.datetime.fromisoformat(at(2)), 0.0),
        (noise.pk, datetime.datetime.fromisoformat(at(1)), 71.0),
    ]


def test_a_gateways_interleaved_devices_each_keep_their_latest_value_and_count(client, world, noise, coordinator,
                                                                               monkeypatch):
    from objectives.sensors_factories import DeviceFactory

    built = statements_built(monkeypatch)
    gas = DeviceFactory(site=world.a.site, name="Détecteur CO", code="co-1", unit="ppm", valid_min=0, valid_max=500)
    token = token_create(user=coordinator, organization=world.a.organization, name="passerelle")
    readings = [{"device": code, "at": at(minutes), "value": value}
                for minutes, code, value in ((5, "sono-p3", 60), (5, "co-1", 10), (4, "co-1", 11), (3, "sono-p3", 61),
                                             (2, "co-1", 12))]
    assert post(client, {"readings": readings}, token=token).json()["inserted"] == 5
    assert len(built) == 1 and "unnest(%(codes)s" in built[0]  # the fast path, for several devices
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT device_id, last_measured_at, last_value, received FROM {STATE} ORDER BY device_id")
        assert cursor.fetchall() == [
            (noise.pk, datetime.datetime.fromisoformat(at(3)), 61.0, 2),
            (gas.pk, datetime.datetime.fromisoformat(at(2)), 12.0, 3),
        ]


@pytest.mark.parametrize("readings", [
    [{"device": "sono-p3", "at": at(2), "value": 60}, {"device": "sono-p3", "at": at(3), "value": 61}],
    [{"device": "sono-p3", "at": at(2), "value": 60}, {"device": "ailleurs", "at": at(1), "value": 61}],
])
def test_a_split_batch_a_device_token_may_not_store_is_refused_row_by_row(client, world, noise, key, readings):
    response = post(client, {"readings": readings}, key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 2
    assert stored(world.a.organization) == []


def test_a_split_batch_with_one_wrong_unit_among_objects_without_units_is_refused_at_that_row(client, world, noise, key):
    body = (f'{{"readings": [{{"at": "{at(3)}", "value": 70}}, {{"at": "{at(2)}", "value": 71, "unit": "ppm"}}, '
            f'{{"at": "{at(1)}", "value": 72}}]}}')
    response = client.post(URL, body, content_type="application/json", headers={"Authorization": f"Device {key}"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 2, "field": "unit", "message": "Unité ppm envoyée, le capteur mesure en dB(A)."}]
    assert stored(world.a.organization) == []


@pytest.mark.parametrize("number", ["+70", ".5e2", "070", "70."])
def test_a_number_postgresql_reads_but_json_does_not_is_rolled_back_and_refused_whole(client, world, noise, key, number):
    """PostgreSQL reads the objects while Python checks the body: what the check refuses is
    rolled back even though PostgreSQL had stored it."""
    body = f'{{"readings": [{{"at": "{at(2)}", "value": 71}}, {{"at": "{at(1)}", "value": {number}}}]}}'
    response = client.post(URL, body, content_type="application/json", headers={"Authorization": f"Device {key}"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Le lot n'est pas du JSON valide."
    assert stored(world.a.organization) == []


def test_a_gateways_interleaved_batch_queues_each_devices_hours_once_in_utc(client, world, noise, coordinator):
    from objectives.sensors_factories import DeviceFactory

    gas = DeviceFactory(site=world.a.site, name="Détecteur CO", code="co-1", unit="ppm", valid_min=0, valid_max=500)
    token = token_create(user=coordinator, organization=world.a.organization, name="passerelle")
    hour = NOW.replace(minute=0, second=0) - datetime.timedelta(hours=5)
    paris = datetime.timezone(datetime.timedelta(hours=1))
    readings = [  # noise: hours 0 and 2 (one written at +01:00); gas: hour 1 only
        {"device": "sono-p3", "at": (hour + datetime.timedelta(minutes=10)).isoformat(), "value": 60},
        {"device": "co-1", "at": (hour + datetime.timedelta(minutes=70)).isoformat(), "value": 10},
        {"device": "sono-p3", "at": (hour + datetime.timedelta(minutes=20)).astimezone(paris).isoformat(), "value": 61},
        {"device": "co-1", "at": (hour + datetime.timedelta(minutes=80)).isoformat(), "value": 11},
        {"device": "sono-p3", "at": (hour + datetime.timedelta(minutes=125)).astimezone(paris).isoformat(), "value": 62},
    ]
    assert post(client, {"readings": readings}, token=token).json()["inserted"] == 5
    with organization_context(world.a.organization), connection.cursor() as cursor:
        cursor.execute(f"SELECT device_id, hour FROM {PENDING} ORDER BY device_id, hour")
        assert cursor.fetchall() == [
            (noise.pk, hour), (noise.pk, hour + datetime.timedelta(hours=2)), (gas.pk, hour + datetime.timedelta(hours=1)),
        ]


def test_a_gateways_device_going_back_in_time_between_other_devices_rows_is_refused_at_that_row(
        client, world, noise, coordinator):
    from objectives.sensors_factories import DeviceFactory

    DeviceFactory(site=world.a.site, name="Détecteur CO", code="co-1", unit="ppm", valid_min=0, valid_max=500)
    token = token_create(user=coordinator, organization=world.a.organization, name="passerelle")
    readings = [{"device": "co-1", "at": at(5), "value": 10}, {"device": "sono-p3", "at": at(4), "value": 60},
                {"device": "co-1", "at": at(6), "value": 11}]
    response = post(client, {"readings": readings}, token=token)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["row"] == 3 and error["field"] == "at" and "1" in error["message"]
    assert stored(world.a.organization) == []
