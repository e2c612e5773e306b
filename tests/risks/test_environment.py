"""Environmental performance: the reference data, the waste register's derived fields and
checks, the figures (hand-computed), consumption per month and intensity, the GHG
calculation and its kept history, the BEGES shape, the inspector's XLSX and the API."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from improvement.selectors import actions_of
from qse.roles import Role
from qse.testing import count_queries
from risks import environment_library as library
from risks import ghg
from risks import selectors_environment as selectors
from risks import services_environment as services
from risks.models import (
    GhgActivity,
    GhgInventory,
    GhgResult,
    MeterReading,
    ProductionVolume,
    WasteRegisterExtract,
)
from tests.risks.test_environment_views import factor, inventory, meter, removal

JAN = datetime.date(2025, 1, 20)


@pytest.fixture
def coordinator(as_member):
    return as_member(Role.COORDINATOR)


# --- reference data ----------------------------------------------------------------------------


def test_the_list_of_wastes_has_its_twenty_chapters_and_842_entries_with_the_hazardous_mark():
    assert len(library.waste_list()["chapters"]) == 20
    assert len(library.wastes()) == 842
    assert sum(entry["hazardous"] for entry in library.wastes().values()) == 408
    assert library.is_hazardous("130205") and not library.is_hazardous("150101")
    assert library.display_code("130205") == "13 02 05*" and library.display_code("150101") == "15 01 01"
    assert library.wastes()["150101"]["label"] == {"fr": "emballages en papier/carton", "en": "paper and cardboard packaging"}


def test_codes_are_read_as_carriers_and_trackdechets_write_them():
    assert library.normalize_code("13 02 05*") == "130205"
    assert library.normalize_code("15.01.01") == "150101"
    assert library.normalize_treatment("R 13") == "R13"
    assert library.normalize_treatment("D 9 F") == "D9"
    assert list(library.treatments()) == [f"R{n}" for n in range(1, 14)] + [f"D{n}" for n in range(1, 16)]
    assert library.treatment_family("R1") == "energy" and library.treatment_family("R4") == "material"
    assert library.treatment_family("D15") == "transit" and library.treatment_family("D10") == "disposal"


def test_every_beges_item_has_one_scope_and_every_activity_kind_an_item():
    items = [code for _category, _label, entries in ghg.BEGES_CATEGORIES for code, _ in entries]
    assert len(items) == 22 and len(set(items)) == 22  # method v5: six categories, 22 items
    assert {ghg.scope_of(ghg.item_of(kind)) for kind in ghg.ActivityKind} == {1, 2, 3}
    assert ghg.scope_of("1.4") == 1 and ghg.scope_of("2.1") == 2 and ghg.scope_of("4.3") == 3
    assert ghg.converted(Decimal("2.5"), "MWh", "kWh") == Decimal("2500")
    assert ghg.converted(Decimal(3), "m3", "kg") is None
    assert ghg.emissions_kg(Decimal(1300), Decimal("0.052")) == Decimal("67.600")


# --- the register ---------------------------------------------------------------------------------


def _data(world, **changes):
    return {"site": world.a.site, "removed_on": JAN, "waste_code": "15 01 01", "description": "Cartons",
            "quantity": Decimal(850), "unit": "kg", "treatment_code": "R 3", "carrier_name": "Trans'Recycl",
            "carrier_receipt": "59-2024-001", "destination_name": "Centre de tri", "destination_address": "Lille", **changes}


def test_a_removal_takes_its_hazardous_mark_and_tonnes_from_its_code_and_quantity(world, coordinator):
    created = services.waste_removal_create(acting_user=coordinator, data=_data(world))
    assert (created.waste_code, created.treatment_code, created.is_hazardous, created.tonnes) == \
        ("150101", "R3", False, Decimal("0.85"))
    edited = services.waste_removal_update(removal=created, acting_user=coordinator, expected_version=created.version,
                                           data={"waste_code": "130205", "quantity": Decimal(2), "unit": "m3"})
    assert (edited.is_hazardous, edited.tonnes) == (True, None)  # a volume has no weight without its density


def test_a_code_outside_the_list_or_the_annexes_is_refused_with_its_reason(world, coordinator):
    with pytest.raises(ValidationError) as error:
        services.waste_removal_create(acting_user=coordinator, data=_data(world, waste_code="999999", treatment_code="D11"))
    assert set(error.value.message_dict) == {"waste_code", "treatment_code"}


def test_the_register_flags_what_an_inspector_would_ask_about(world):
    fine = removal(world.a)
    no_bsd = removal(world.a, waste_code="130205", is_hazardous=True, tracking_number="")
    no_receipt = removal(world.a, carrier_receipt="")
    burnt_cardboard = removal(world.a, treatment_code="D10", tracking_number="BSD-1")
    assert selectors.waste_flags(fine) == []
    assert selectors.waste_flags(no_bsd) == ["Déchet dangereux sans bordereau de suivi (BSD)"]
    assert selectors.waste_flags(no_receipt) == ["Transporteur sans numéro de récépissé"]
    assert selectors.waste_flags(burnt_cardboard) == ["Élimination alors qu'une filière de valorisation existe pour ce déchet"]
    flagged = set(type(fine).objects.filter(selectors.flagged_q()).values_list("pk", flat=True))
    assert flagged == {no_bsd.pk, no_receipt.pk, burnt_cardboard.pk}


def _january_removals(side):
    removal(side, quantity=Decimal(2), tonnes=Decimal(2), treatment_code="R3")
    removal(side, quantity=Decimal(1), tonnes=Decimal(1), treatment_code="R1", waste_code="150103")
    removal(side, quantity=Decimal(1000), unit="kg", tonnes=Decimal(1), treatment_code="D10", waste_code="130701",
            is_hazardous=True, tracking_number="BSD-9")


def test_waste_figures_per_site_and_month_are_computed_in_one_query(world, coordinator):
    _january_removals(world.a)
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    selectors.waste_monthly_figures(user=coordinator, start=start, end=end)  # the membership's sites, read once
    assert count_queries(lambda: selectors.waste_monthly_figures(user=coordinator, start=start, end=end)) == 1
    [march] = selectors.waste_monthly_figures(user=coordinator, start=start, end=end)
    assert (march["month"].month, march["removals"], march["tonnes"]) == (3, 3, Decimal(4))
    assert (march["hazardous_share"], march["material_rate"], march["energy_rate"], march["recovery_rate"]) == \
        (Decimal("25.0"), Decimal("50.0"), Decimal("25.0"), Decimal("75.0"))
    by_code = selectors.waste_tonnes_by_code(user=coordinator, start=start, end=end)
    assert [(row["code"], row["tonnes"]) for row in by_code] == [("15 01 01", 2), ("13 07 01*", 1), ("15 01 03", 1)]


def test_the_inspectors_xlsx_holds_the_orders_fields_and_neutralises_formulas(client, world):
    removal(world.a, description="=HYPERLINK(\"http://x\")", carrier_receipt="")
    removal(world.a, removed_on=datetime.date(2025, 12, 31))  # outside the period
    removal(world.b)
    extract = WasteRegisterExtract.objects.create(organization=world.a.organization, site=world.a.site,
                                                  start_on=datetime.date(2026, 1, 1), end_on=datetime.date(2026, 12, 31))
    client.force_login(world.user())
    response = client.get(reverse("risks:wasteregisterextract_xlsx", args=[extract.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Registre chronologique des déchets sortants")
    assert rows[2][:2] == ("Site", str(world.a.site))
    assert rows[5][:4] == ("Date d'enlèvement", "Code déchet", "Dangereux", "Dénomination usuelle")
    assert len(rows) == 7  # one removal of the period
    line = rows[6]
    assert line[1] == "15 01 01" and line[3] == "'=HYPERLINK(\"http://x\")" and line[8] == "R3"
    assert line[17] == "Transporteur sans numéro de récépissé"


def test_the_register_export_reads_a_constant_number_of_queries(client, world):
    extract = WasteRegisterExtract.objects.create(organization=world.a.organization, site=world.a.site,
                                                  start_on=datetime.date(2026, 1, 1), end_on=datetime.date(2026, 12, 31))
    client.force_login(world.user())
    url = reverse("risks:wasteregisterextract_xlsx", args=[extract.pk])
    removal(world.a)
    few = count_queries(lambda: b"".join(client.get(url).streaming_content))
    for _ in range(20):
        removal(world.a)
    assert count_queries(lambda: b"".join(client.get(url).streaming_content)) == few


# --- consumption ------------------------------------------------------------------------------


def _readings(side, target, values):
    for day, value in values:
        MeterReading.objects.create(organization=side.organization, meter=target, read_on=day, value=Decimal(value))


def test_consumption_per_month_is_the_difference_of_index_readings_or_the_sum_of_invoices(world, coordinator):
    index = meter(world.a)
    _readings(world.a, index, [(datetime.date(2024, 12, 31), 1000), (datetime.date(2025, 1, 31), 1500),
                               (datetime.date(2025, 2, 28), 2300), (datetime.date(2025, 3, 31), 2200)])
    invoiced = meter(world.a, name="Fioul livraisons")
    invoiced.is_cumulative = False
    invoiced.save()
    _readings(world.a, invoiced, [(datetime.date(2025, 1, 15), 300), (datetime.date(2025, 1, 30), 200)])
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    monthly = selectors.meter_monthly_consumption(user=coordinator, start=start, end=end)
    jan, feb = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)
    # March's index went down (meter replaced): left out, not counted as -100.
    assert monthly == {(index.pk, jan): Decimal(500), (index.pk, feb): Decimal(800), (invoiced.pk, jan): Decimal(500)}


def test_intensity_is_the_months_consumption_per_unit_produced(world, coordinator):
    index = meter(world.a)
    index.monthly_target = Decimal(600)
    index.save()
    _readings(world.a, index, [(datetime.date(2024, 12, 31), 1000), (datetime.date(2025, 1, 31), 1500)])
    ProductionVolume.objects.create(organization=world.a.organization, site=world.a.site, month=datetime.date(2025, 1, 1),
                                    quantity=Decimal(125))
    series = selectors.meter_series(user=coordinator, meter=index, start=datetime.date(2025, 1, 1),
                                    end=datetime.date(2025, 2, 28))
    assert [(row["consumption"], row["production"], row["intensity"], row["target"]) for row in series] == [
        (Decimal(500), Decimal(125), Decimal("4.0000"), Decimal(600)), (None, None, None, Decimal(600))]


def test_a_production_volume_is_kept_as_its_month(world, coordinator):
    volume = services.production_volume_create(acting_user=coordinator, data={
        "site": world.a.site, "month": datetime.date(2025, 5, 17), "quantity": Decimal(80), "unit": "t"})
    assert volume.month == datetime.date(2025, 5, 1)
    with pytest.raises(ValidationError):
        services.production_volume_create(acting_user=coordinator, data={
            "site": world.a.site, "month": datetime.date(2025, 5, 2), "quantity": Decimal(1), "unit": "t"})


# --- greenhouse gases -----------------------------------------------------------------------------


def _footprint_2025(world):
    """Electricity 1300 kWh (0.052), 100 L diesel (3.17), 2 kg R-410A (2088), waste 3 t
    recovered (30/t) and 1 t disposed of (500/t): 67.6 + 317 + 4176 + 90 + 500 kg."""
    side = world.a
    index = meter(side)
    index.emission_factor = factor(side)
    index.save()
    _readings(side, index, [(datetime.date(2024, 12, 31), 1000), (datetime.date(2025, 6, 30), 2300)])
    target = inventory(side, year=2025)
    for kind, quantity, used in [
        ("mobile_combustion", 100, factor(side, "diesel-road", 2017, "3.17", "L", "mobile_combustion")),
        ("refrigerant", 2, factor(side, "refrigerant-r410a", 2014, "2088", "kg", "refrigerant")),
    ]:
        GhgActivity.objects.create(organization=side.organization, inventory=target, kind=kind, description=kind,
                                   quantity=Decimal(quantity), factor=used)
    factor(side, "waste-recovery", 2022, "30", "t", "waste")
    factor(side, "waste-disposal", 2022, "500", "t", "waste")
    for code, tonnes in (("R3", 2), ("R1", 1), ("D10", 1)):
        removal(side, removed_on=datetime.date(2025, 4, 1), treatment_code=code, quantity=Decimal(tonnes),
                tonnes=Decimal(tonnes))
    return target


def test_the_inventory_adds_meters_activity_data_and_the_waste_register_by_scope(world, coordinator):
    target = services.ghg_inventory_calculate(inventory=_footprint_2025(world), acting_user=coordinator)
    summary = selectors.ghg_summary(user=coordinator, inventory=target)
    assert [(row["scope"], row["tonnes"]) for row in summary["by_scope"]] == \
        [(1, Decimal("4.493")), (2, Decimal("0.068")), (3, Decimal("0.590"))]
    assert summary["total"] == Decimal("5.151")
    assert [(row["item"], row["tonnes"]) for row in summary["by_item"]] == [
        ("1.2", Decimal("0.317")), ("1.4", Decimal("4.176")), ("2.1", Decimal("0.068")), ("4.3", Decimal("0.590"))]
    beges = selectors.beges_table(user=coordinator, inventory=target)
    assert [category["code"] for category in beges] == ["1", "2", "3", "4", "5", "6"]
    assert beges[0]["tonnes"] == Decimal("4.493") and beges[4]["tonnes"] == 0


def test_a_new_factor_edition_gives_a_new_calculation_and_keeps_the_old_one(world, coordinator):
    target = services.ghg_inventory_calculate(inventory=_footprint_2025(world), acting_user=coordinator)
    factor(world.a, "electricity-fr", 2024, "0.1")
    target = services.ghg_inventory_calculate(inventory=target, acting_user=coordinator, expected_version=target.version)
    electricity = GhgResult.objects.filter(inventory=target, item="2.1").order_by("calculation")
    assert [(line.calculation, line.factor_year, line.kg_co2e) for line in electricity] == \
        [(1, 2022, Decimal("67.600")), (2, 2024, Decimal("130.000"))]
    assert [(row["calculation"], row["tonnes"], row["is_current"])
            for row in selectors.ghg_calculations(user=coordinator, inventory=target)] == \
        [(2, Decimal("5.213"), True), (1, Decimal("5.151"), False)]


def test_a_stale_calculation_request_is_a_conflict(world, coordinator):
    from qse.services import ConflictError

    target = _footprint_2025(world)
    with pytest.raises(ConflictError):
        services.ghg_inventory_calculate(inventory=target, acting_user=coordinator, expected_version=target.version + 5)
    assert GhgResult.objects.count() == 0


def test_what_cannot_be_counted_is_said_not_guessed(world, coordinator):
    side = world.a
    target = inventory(side, year=2025)
    GhgActivity.objects.create(organization=side.organization, inventory=target, kind="purchased_goods", description="Acier",
                               quantity=Decimal(5), factor=factor(side, "steel-primary", 2023, "1800", "t", "purchased_goods"))
    gas = meter(side, name="Gaz chaufferie")
    gas.unit, gas.emission_factor = "m3", factor(side, "natural-gas", 2022, "0.227", "kWh", "stationary_combustion")
    gas.save()
    _readings(side, gas, [(datetime.date(2024, 12, 31), 10), (datetime.date(2025, 3, 31), 60)])
    lines, warnings = selectors.ghg_calculation_report(inventory=target, factors=selectors.newest_factors(), user=coordinator)
    assert [line["item"] for line in lines] == ["4.1"]
    assert warnings == ["Gaz chaufferie : m3 ne se convertit pas dans l'unité du facteur (kWh)."]


def test_the_trend_compares_each_year_with_the_one_before(world, coordinator):
    side = world.a
    for year, kg in ((2024, 8000), (2025, 6000)):
        target = inventory(side, year=year)
        target.calculation = 1
        target.save()
        GhgResult.objects.create(organization=side.organization, inventory=target, calculation=1, scope=1, item="1.1",
                                 source="activity", label="Gaz", quantity=1, unit="kWh", factor_code="natural-gas",
                                 factor_value=1, factor_year=2022, factor_source="ADEME", kg_co2e=kg)
    trend = selectors.ghg_totals_by_year(user=coordinator)
    assert [(row["year"], row["total"], row["change"]) for row in trend] == \
        [(2024, Decimal("8.000"), None), (2025, Decimal("6.000"), Decimal("-25.0"))]
    assert selectors.environmental_footprint(user=coordinator)["latest"]["year"] == 2025


def test_a_reduction_action_is_linked_to_its_inventory(world, coordinator):
    target = inventory(world.a, year=2025)
    action = services.ghg_reduction_action_create(inventory=target, acting_user=coordinator, data={
        "title": "Remplacer les compresseurs", "due_on": datetime.date(2026, 6, 30), "owner": coordinator})
    assert list(actions_of(target, user=coordinator)) == [action]


def test_the_starter_factors_are_copied_once(world, coordinator):
    added = services.emission_factors_load_library(acting_user=coordinator)
    assert added == len(library.library_factors()) == 14
    assert services.emission_factors_load_library(acting_user=coordinator) == 0


# --- pages and API ------------------------------------------------------------------------------


def test_calculating_through_the_page_and_the_api_call_the_same_service(client, world):
    target = _footprint_2025(world)
    client.force_login(world.user())
    page = client.post(reverse("risks:ghginventory_calculate", args=[target.pk]), {"version": target.version})
    assert page.status_code == 302
    response = client.post(f"/api/v1/risks/ghg-inventories/{target.pk}/calculate/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["total"] == 5.151
    target.refresh_from_db()
    assert target.calculation == 2
    beges = client.get(f"/api/v1/risks/ghg-inventories/{target.pk}/beges/").json()
    assert beges[0]["items"][3] == {"item": "1.4", "label": "Émissions directes fugitives", "tonnes": 4.176}
    xlsx = client.get(reverse("risks:ghginventory_beges", args=[target.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["BEGES"]
    assert [row for row in sheet.iter_rows(values_only=True) if row[1] == "1.4"][0][4] == 4.176


def test_a_member_who_may_only_read_cannot_calculate(client, world):
    target = _footprint_2025(world)
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    assert client.post(reverse("risks:ghginventory_calculate", args=[target.pk])).status_code == 403
    assert client.post(f"/api/v1/risks/ghg-inventories/{target.pk}/calculate/").status_code == 403
    assert client.get(reverse("risks:ghginventory_detail", args=[target.pk])).status_code == 200
    assert GhgInventory.objects.get(pk=target.pk).calculation == 0


def test_the_environment_page_and_the_figures_api_answer(client, world):
    _january_removals(world.a)
    client.force_login(world.user())
    page = client.get(reverse("risks:environment_dashboard"), {"year": 2026})
    assert page.status_code == 200 and "75,0 %" in page.content.decode()
    figures = client.get("/api/v1/risks/environment/waste-figures/", {"start": "2026-01-01", "end": "2026-12-31"}).json()
    assert figures["totals"]["tonnes"] == 4.0 and figures["totals"]["recovery_rate"] == 75.0
    assert client.get("/api/v1/risks/environment/waste-figures/", {"start": "2026-13-01"}).status_code == 400


def test_the_environment_page_reads_a_constant_number_of_queries(client, world):
    client.force_login(world.user())
    url = reverse("risks:environment_dashboard")
    _january_removals(world.a)
    meter(world.a)
    few = count_queries(lambda: client.get(url, {"year": 2026}))
    for _ in range(5):
        _january_removals(world.a)
        meter(world.a, name=f"Compteur {_}")
    assert count_queries(lambda: client.get(url, {"year": 2026})) == few


def test_the_climate_decision_shows_the_measured_footprint(client, world):
    from context.factories import ClimateDecisionFactory

    decision = ClimateDecisionFactory(organization=world.a.organization)
    target = inventory(world.a, year=2025)
    target.calculation = 1
    target.save()
    GhgResult.objects.create(organization=world.a.organization, inventory=target, calculation=1, scope=2, item="2.1",
                             source="meter", label="TGBT", quantity=1, unit="kWh", factor_code="electricity-fr",
                             factor_value=1, factor_year=2022, factor_source="ADEME", kg_co2e=Decimal(6000))
    client.force_login(world.user())
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="measured-footprint"' in page and "2025 : 6,0 t CO2e pour l'ensemble de l'organisme" in page
    assert target.get_absolute_url() in page


def test_the_demo_has_a_year_of_waste_for_both_sites_meters_and_a_calculated_inventory(db):
    from qse.demo import seed_demo
    from qse.tenancy import system_context
    from risks.models import Meter, WasteRemoval

    today = datetime.date(2026, 11, 23)
    seed_demo(today=today)
    with system_context():
        for site in ("LYO", "VIE"):
            months = {day.replace(day=1) for day in WasteRemoval.objects.filter(site__code=site)
                      .values_list("removed_on", flat=True)}
            assert len(months) >= 12, site
        assert WasteRemoval.objects.filter(tracking_number="", is_hazardous=True).count() == 1
        meters = Meter.objects.filter(organization__slug="usinage-precis-du-rhone")
        assert meters.count() == 5
        assert all(meter.readings.count() >= 13 for meter in meters)
        latest = GhgInventory.objects.get(organization__slug="usinage-precis-du-rhone", year=2025, site=None)
        assert latest.calculation == 1 and latest.results.filter(scope=2).exists()
        from django.contrib.contenttypes.models import ContentType

        from improvement.models import Action

        assert Action.objects.filter(origin_type=ContentType.objects.get_for_model(GhgInventory),
                                     origin_id=latest.pk).count() == 2
