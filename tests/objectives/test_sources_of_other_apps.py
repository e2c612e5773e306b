"""Indicators fed by the other modules' data, through the refresh service as the nightly task
runs it: a sensor's readings (its daily roll-up), the waste register and the compliance
evaluations. Expected values computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

from compliance.choices import ComplianceStatus
from compliance.factories import EvaluationFactory
from objectives.sources import is_computed
from tests.objectives.test_computed import NOV_23, OCTOBER, _indicator, _refresh
from tests.objectives.test_sensors_storage import UTC, ingest, refresh
from tests.risks.test_environment_views import removal


def test_the_other_modules_register_their_sources():
    assert all(is_computed(kind) for kind in (
        "sensor", "waste_tonnes", "waste_hazardous_share", "waste_recovery_rate", "meter_consumption", "compliance_rate"))


def test_a_noise_indicator_is_the_mean_of_its_sensors_readings_over_the_month(world, noise):
    october = datetime.datetime(2026, 10, 14, 9, tzinfo=UTC)
    ingest(noise, [(october, 80.0), (october + datetime.timedelta(hours=1), 86.0),
                   (october + datetime.timedelta(days=3), 83.0)])
    refresh(noise)
    indicator = _indicator(world, "sensor", parameter=noise.code, unit="dB(A)")
    assert _refresh(world, indicator)[OCTOBER] == Decimal("83.000")  # (80 + 86 + 83) / 3


def test_a_sensor_of_another_organization_feeds_nothing(world, other_noise):
    ingest(other_noise, [(datetime.datetime(2026, 10, 14, 9, tzinfo=UTC), 99.0)])
    refresh(other_noise)
    indicator = _indicator(world, "sensor", parameter=other_noise.code)
    assert OCTOBER not in _refresh(world, indicator)


def test_the_waste_recovery_rate_and_hazardous_share_come_from_the_register(world):
    day = datetime.date(2026, 10, 6)
    removal(world.a, removed_on=day, tonnes=Decimal(3), treatment_code="R3")  # material
    removal(world.a, removed_on=day, tonnes=Decimal(1), treatment_code="D10", waste_code="130701",
            is_hazardous=True, tracking_number="BSD-1")  # disposal
    removal(world.b, removed_on=day, tonnes=Decimal(50), treatment_code="D10")  # another organization's
    recovery = _indicator(world, "waste_recovery_rate", unit="%")
    hazardous = _indicator(world, "waste_hazardous_share", unit="%")
    tonnes = _indicator(world, "waste_tonnes", unit="t")
    assert _refresh(world, recovery)[OCTOBER] == Decimal("75.0")  # 3 of 4 tonnes recovered
    assert _refresh(world, hazardous)[OCTOBER] == Decimal("25.0")
    assert _refresh(world, tonnes)[OCTOBER] == Decimal(4)


def test_the_compliance_rate_is_the_compliant_share_of_the_current_evaluations(world):
    for status in (ComplianceStatus.COMPLIANT, ComplianceStatus.COMPLIANT, ComplianceStatus.COMPLIANT,
                   ComplianceStatus.NON_COMPLIANT, ComplianceStatus.TO_VERIFY):
        EvaluationFactory(requirement__text__organization=world.a.organization, site=world.a.site, status=status)
    indicator = _indicator(world, "compliance_rate", unit="%")
    assert _refresh(world, indicator, today=NOV_23)[OCTOBER] == Decimal(75)  # 3 of 4 verdicts
