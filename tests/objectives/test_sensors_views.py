"""Sensor devices through the generic pages and API, and the device page: latest value,
out-of-range counts and charts from the roll-ups, the token issued once and revoked."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from objectives import sensors_ingest, sensors_rollups
from objectives.models import Device
from objectives.sensors_factories import DeviceFactory
from objectives.sensors_ingest import RawRow
from objectives.sensors_views import DeviceViews
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import ObjectViewsTestCase, count_queries

CODES = itertools.count(1)


class TestDeviceViews(ObjectViewsTestCase):
    declaration = DeviceViews
    edit = ("name", "Sonomètre renommé")
    detail_query_budget = 24
    list_query_budget = 15  # 14 as for sites and processes, + the site filter's choices

    def make(self, world, side):
        return DeviceFactory(site=side.site, name=f"{side.organization.name} sonomètre {next(CODES)}")

    def form_data(self, world):
        return {"name": "Compteur général", "code": f"cpt-{next(CODES)}", "kind": "energy_meter", "unit": "kWh",
                "valid_min": 0, "valid_max": 100000, "limit_high": 5000, "site": world.a.site.pk, "location": "TGBT"}

    def import_rows(self, world):
        return [
            {"name": "Détecteur CO atelier", "code": "co-1", "kind": "gas_detector", "unit": "ppm",
             "valid_min": "0", "valid_max": "1000", "limit_high": "20", "location": "Atelier"},
            {"name": "Compteur d'eau", "code": "eau-1", "kind": "water_meter", "unit": "m³",
             "valid_min": "0", "valid_max": "10000", "limit_high": "", "location": "Chaufferie"},
        ]


def _fill(device, values_by_hour: dict[datetime.datetime, list[float]]):
    """Store readings (one per minute from the hour) and roll them up, as organization A."""
    rows, number = [], itertools.count(1)
    for hour, values in sorted(values_by_hour.items()):
        rows += [RawRow(next(number), None, (hour + datetime.timedelta(minutes=i)).isoformat(), v) for i, v in enumerate(values)]
    with organization_context(device.organization):
        report = sensors_ingest.readings_ingest_rows(organization=device.organization, rows=rows, devices={}, default=device)
        assert not report.errors, report.errors
    sensors_rollups.rollups_refresh(organization=device.organization)


def _this_hour(hours_ago: int = 0) -> datetime.datetime:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return now - datetime.timedelta(hours=hours_ago)


def test_the_device_page_shows_the_latest_value_the_out_of_range_counts_and_both_charts(client, world, noise):
    _fill(noise, {_this_hour(1): [80.0, 90.0], _this_hour(0): [70.5]})
    client.force_login(world.user())
    page = client.get(noise.get_absolute_url()).content.decode()
    assert 'data-testid="last-value">70,5 dB(A)' in page
    assert '<span class="tag danger">1</span>' in page  # 90 dB(A) is above the 85 limit
    assert page.count('data-plotly-figure=') == 2


def test_the_device_page_costs_the_same_queries_with_a_year_of_roll_ups(client, world, noise):
    client.force_login(world.user())
    _fill(noise, {_this_hour(0): [60.0]})
    few = count_queries(lambda: client.get(noise.get_absolute_url()))
    _fill(noise, {_this_hour(24 * day + 1): [61.0, 62.0] for day in range(1, 300, 3)})
    many = count_queries(lambda: client.get(noise.get_absolute_url()))
    assert many == few <= TestDeviceViews.detail_query_budget


def test_a_token_is_shown_once_then_only_its_prefix_and_revoking_it_says_so(client, world, noise):
    client.force_login(world.user())
    page = client.post(f"/objectives/devices/{noise.pk}/token/")
    assert page.status_code == 200
    key = page.context["new_key"]
    noise.refresh_from_db()
    assert key.startswith(noise.token_prefix) and noise.token_digest and key not in noise.token_digest
    again = client.get(noise.get_absolute_url()).content.decode()
    assert key not in again and f"<code>{noise.token_prefix}…</code>" in again
    assert client.post(f"/objectives/devices/{noise.pk}/token/revoke/").status_code == 302
    noise.refresh_from_db()
    assert noise.token_revoked_at is not None and not noise.has_active_token


def test_only_who_may_change_the_device_issues_its_token_and_another_organization_gets_404(client, world, noise, other_noise):
    client.force_login(world.a.users[Role.MANAGEMENT])
    assert client.post(f"/objectives/devices/{noise.pk}/token/").status_code == 403
    assert "Issue a token" not in client.get(noise.get_absolute_url()).content.decode()
    client.force_login(world.user())
    assert client.post(f"/objectives/devices/{other_noise.pk}/token/").status_code == 404
    assert client.post(f"/objectives/devices/{other_noise.pk}/token/revoke/").status_code == 404
    other_noise.refresh_from_db()
    assert not other_noise.token_digest


def test_the_token_is_issued_and_revoked_through_the_api_too(client, world, noise):
    client.force_login(world.user())
    issued = client.post(f"/api/v1/objectives/devices/{noise.pk}/token/")
    assert issued.status_code == 201 and len(issued.json()["token"]) > 30
    assert client.post(f"/api/v1/objectives/devices/{noise.pk}/token/revoke/").status_code == 204
    assert Device.objects.get(pk=noise.pk).token_revoked_at is not None


def test_the_series_api_reads_the_roll_ups(client, world, noise):
    hour = _this_hour(2)
    _fill(noise, {hour: [60.0, 70.0, 95.0]})
    client.force_login(world.user())
    answer = client.get(f"/api/v1/objectives/devices/{noise.pk}/series/", {"grain": "hour"}).json()
    assert answer["last_value"] == 95.0
    point = next(p for p in answer["points"] if p["at"] == hour.isoformat())
    assert (point["readings"], point["mean"], point["minimum"], point["maximum"], point["out_of_range"]) == (3, 75.0, 60.0, 95.0, 1)
    bad = client.get(f"/api/v1/objectives/devices/{noise.pk}/series/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 400
