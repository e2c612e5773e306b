"""Waste written in m³ counted in tonnes through a density (the removal's, or its code's
documented default), invoices spread over their billing period, and the starter emission
factors' verification notes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qse.roles import Role
from risks import environment_library as library
from risks import selectors_environment as selectors
from risks import services_environment as services
from risks.models import MeterReading
from tests.risks import test_environment as environment_tests
from tests.risks.test_environment_views import meter


@pytest.fixture
def coordinator(as_member):
    return as_member(Role.COORDINATOR)


def _data(world, **changes):
    """The other tests' cardboard removal, as 20 m³."""
    return environment_tests._data(world, **{"quantity": Decimal(20), "unit": "m3", **changes})


def test_a_volume_of_waste_counts_in_tonnes_through_its_codes_default_density_or_its_own(world, coordinator):
    # cardboard (15 01 01): 106 lb per cubic yard (US EPA 2016) = 0.063 t/m³; 20 m³ weigh 1.26 t
    by_default = services.waste_removal_create(acting_user=coordinator, data=_data(world))
    assert (by_default.tonnes, by_default.converted_density) == (Decimal("1.26"), Decimal("0.063"))
    compacted = services.waste_removal_create(acting_user=coordinator, data=_data(world, density=Decimal("0.15")))
    assert (compacted.tonnes, compacted.converted_density) == (Decimal("3"), Decimal("0.15"))
    # used oil (13 02 05*) has no default: its volume stays out of the tonnes until a density is entered
    oil = services.waste_removal_create(acting_user=coordinator, data=_data(
        world, waste_code="130205", description="Huiles", treatment_code="R9", tracking_number="BSD-1"))
    assert (oil.tonnes, oil.converted_density) == (None, None)
    oil = services.waste_removal_update(removal=oil, acting_user=coordinator, expected_version=oil.version,
                                        data={"density": Decimal("0.9")})
    assert (oil.tonnes, oil.converted_density) == (Decimal("18"), Decimal("0.9"))
    in_kg = services.waste_removal_update(removal=by_default, acting_user=coordinator,
                                          expected_version=by_default.version, data={"unit": "kg", "quantity": Decimal(850)})
    assert (in_kg.tonnes, in_kg.converted_density) == (Decimal("0.85"), None)


def test_the_figures_say_how_many_volumes_were_converted_and_how_many_could_not_be(client, world, coordinator):
    services.waste_removal_create(acting_user=coordinator, data=_data(world))  # 1.26 t
    services.waste_removal_create(acting_user=coordinator, data=_data(world, quantity=Decimal(1), unit="t"))
    services.waste_removal_create(acting_user=coordinator, data=_data(
        world, waste_code="130205", description="Huiles", treatment_code="R9", tracking_number="BSD-1"))
    totals = selectors.waste_totals(user=coordinator, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
    assert (totals["removals"], totals["tonnes"], totals["converted"], totals["not_converted"]) == (3, Decimal("2.26"), 1, 1)
    client.force_login(coordinator)
    register = client.get(reverse("risks:wasteremoval_list")).content.decode()
    assert 'data-testid="converted"' in register and 'data-testid="not-converted"' in register


def test_a_negative_or_zero_density_is_refused(client, world, coordinator):
    client.force_login(coordinator)
    answer = client.post("/api/v1/risks/waste-register/", {**{k: v for k, v in _data(world).items() if k != "site"},
                                                            "site": world.a.site.pk, "waste_code": "150101", "treatment_code": "R3",
                                                            "removed_on": "2025-01-20", "density": "0", "quantity": "20"},
                         content_type="application/json")
    assert answer.status_code == 400 and "La masse volumique doit être supérieure à zéro." in str(answer.json())


def test_every_default_density_is_the_epa_figure_converted_to_tonnes_per_cubic_metre():
    assert library.default_density("150101") == Decimal("0.063")  # 106 lb/yd³ x 0.593276
    assert library.default_density("200301") == Decimal("0.082")  # 138 lb/yd³
    assert library.default_density("170101") == Decimal("0.510")  # 860 lb/yd³
    assert library.default_density("130205") is None
    assert set(library.waste_densities()) <= set(library.wastes())


def test_an_invoice_is_spread_over_its_billing_period_pro_rata_by_days(world, coordinator):
    invoiced = meter(world.a, name="Gaz facturé")
    invoiced.is_cumulative = False
    invoiced.save()
    organization = world.a.organization
    # 600 kWh from 1 January to 1 March 2026: 60 days, 10 a day
    MeterReading.objects.create(organization=organization, meter=invoiced, read_on=datetime.date(2026, 3, 1),
                                period_start_on=datetime.date(2026, 1, 1), value=Decimal(600))
    MeterReading.objects.create(organization=organization, meter=invoiced, read_on=datetime.date(2026, 3, 20),
                                value=Decimal(45))  # no period: counted in the month dated
    monthly = selectors.meter_monthly_consumption(user=coordinator, start=datetime.date(2026, 1, 1),
                                                  end=datetime.date(2026, 12, 31))
    assert monthly == {(invoiced.pk, datetime.date(2026, 1, 1)): Decimal(310),
                       (invoiced.pk, datetime.date(2026, 2, 1)): Decimal(280),
                       (invoiced.pk, datetime.date(2026, 3, 1)): Decimal(55)}
    # a year asked for up to February takes the invoice's January and February shares
    early = selectors.meter_monthly_consumption(user=coordinator, start=datetime.date(2026, 1, 1),
                                                end=datetime.date(2026, 2, 28))
    assert sum(early.values()) == Decimal(590)


def test_a_billing_period_ending_before_it_starts_is_refused(world):
    reading = MeterReading(organization=world.a.organization, meter=meter(world.a), read_on=datetime.date(2026, 1, 1),
                           period_start_on=datetime.date(2026, 2, 1), value=Decimal(1))
    with pytest.raises(ValidationError) as error:
        reading.full_clean()
    assert "The billing period must start on or before" in str(error.value) or "La période facturée" in str(error.value)


def test_the_refrigerant_blends_gwp_are_the_annex_iv_weighted_averages_of_annex_i():
    factors = library.library_factors()
    # Regulation 517/2014 Annex I: HFC-32 675, HFC-125 3 500, HFC-134a 1 430, HFC-143a 4 470
    assert factors["refrigerant-r410a"]["value"] == 2088  # 0.5 x 675 + 0.5 x 3500 = 2087.5
    assert factors["refrigerant-r404a"]["value"] == 3922  # 0.44 x 3500 + 0.52 x 4470 + 0.04 x 1430 = 3921.6
    assert factors["refrigerant-r407c"]["value"] == 1774  # 0.23 x 675 + 0.25 x 3500 + 0.52 x 1430 = 1773.85
    assert factors["refrigerant-r134a"]["value"] == 1430 and factors["refrigerant-r32"]["value"] == 675
    unverified = {code for code, entry in factors.items() if not entry["verified"]}
    assert unverified == {"electricity-fr", "natural-gas", "heating-oil", "waste-disposal", "waste-recovery"}
    assert all(factors[code].get("checked") for code in unverified)  # each says what was looked for
