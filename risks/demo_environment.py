"""The demo's environmental performance, through the services: the starter emission factors,
waste removals of both sites from January of last year to today (with three removals the
register's checks flag), five meters with month-end readings and the production volumes,
and two calculated GHG inventories with their reduction actions. Deterministic (no
randomness): every figure follows from the month's index."""

from __future__ import annotations

import datetime
from decimal import Decimal

# (site, waste code, usual name, tonnes a month, treatment, carrier, destination, every n months)
WASTE_STREAMS = [
    ("LYO", "150101", "Cartons d'emballage", "1.2", "R3", "Paprec Rhône", "Centre de tri Paprec, Saint-Fons", 1),
    ("LYO", "120101", "Copeaux d'acier", "3.4", "R4", "Derichebourg", "Derichebourg, Vénissieux", 1),
    ("LYO", "120109", "Émulsions d'usinage usagées", "0.8", "D9", "Sarp Industries", "Sarp Industries, Saint-Vulbas", 2),
    ("LYO", "130205", "Huiles moteur et de coupe usagées", "0.4", "R9", "Sevia", "Sevia, Saint-Fons", 3),
    ("VIE", "150101", "Cartons d'emballage", "0.6", "R3", "Paprec Rhône", "Centre de tri Paprec, Saint-Fons", 1),
    ("VIE", "120103", "Copeaux d'aluminium", "1.1", "R4", "Derichebourg", "Derichebourg, Vénissieux", 1),
    ("VIE", "200301", "Déchets industriels banals en mélange", "0.9", "R1", "Suez Isère", "UVE Suez, Bourgoin-Jallieu", 1),
]
CARRIERS = {"Paprec Rhône": ("552081317", "69-2021-0412"), "Derichebourg": ("352980601", "69-2019-0077"),
            "Sarp Industries": ("312217219", "01-2020-0153"), "Sevia": ("403193198", "69-2018-0221"),
            "Suez Isère": ("410118608", "38-2022-0310")}
# (site, name, kind, unit, factor code, January index step, target per month)
METERS = [
    ("LYO", "Électricité TGBT Lyon", "electricity", "kWh", "electricity-fr", 118000, 110000),
    ("LYO", "Gaz naturel chaufferie Lyon", "natural_gas", "kWh", "natural-gas", 42000, 30000),
    ("LYO", "Eau de ville Lyon", "water", "m3", None, 210, 200),
    ("VIE", "Électricité Vienne", "electricity", "kWh", "electricity-fr", 56000, 52000),
    ("VIE", "Air comprimé Vienne", "compressed_air", "Nm3", None, 95000, None),
]
SEASON = [1.25, 1.2, 1.1, 0.95, 0.9, 0.85, 0.7, 0.45, 0.9, 1.0, 1.1, 1.2]  # heating and August shutdown


def _month_ends(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    ends, month = [], start.replace(day=1)
    while True:
        end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        if end >= today:
            return ends
        ends.append(end)
        month = end + datetime.timedelta(days=1)


def seed_environment(*, membership, sites: dict, today: datetime.date) -> None:
    """Seed the main organization's environmental performance (its membership is active)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # stored labels in the plant's language
        _seed(membership, sites, today)


def _seed(membership, sites, today):
    from risks import services_environment as services

    user = membership.user
    services.emission_factors_load_library(acting_user=user)
    start = datetime.date(today.year - 1, 1, 1)
    ends = _month_ends(start, today)
    _waste(user, sites, ends)
    meters = _meters(user, membership.organization, sites, ends)
    _production(user, sites, ends)
    _inventories(user, membership.organization, today, meters)


def _waste(user, sites, ends):
    from risks.services_environment import waste_removal_create

    for index, end in enumerate(ends):
        for site, code, name, tonnes, treatment, carrier, destination, every in WASTE_STREAMS:
            if index % every:
                continue
            siren, receipt = CARRIERS[carrier]
            weight = (Decimal(tonnes) * Decimal(str(0.8 + 0.05 * (index % 7)))).quantize(Decimal("0.001"))
            data = {
                "site": sites[site], "removed_on": end - datetime.timedelta(days=3), "waste_code": code, "description": name,
                "quantity": weight, "unit": "t", "treatment_code": treatment, "carrier_name": carrier,
                "carrier_siren": siren, "carrier_receipt": receipt, "destination_name": destination,
                "destination_address": destination.split(", ")[-1], "tracking_number": "",
            }
            if code in ("120109", "130205"):
                data["tracking_number"] = f"BSD-{end:%Y%m}-{site}-{code[-2:]}"
            if code == "200301":  # the skip is counted in m³, weighed at the code's default density (0.082 t/m³)
                data["quantity"], data["unit"] = (weight / Decimal("0.082")).quantize(Decimal("0.1")), "m3"
            waste_removal_create(acting_user=user, data=data)
    last = ends[-1]
    # What the register's checks are for: each of these is flagged on the register.
    for extra in (
        {"waste_code": "130205", "description": "Huiles de vidange (compresseur)", "treatment_code": "R9",
         "carrier_name": "Garage Dumas", "carrier_receipt": "69-2023-0981", "tracking_number": ""},
        {"waste_code": "170405", "description": "Ferrailles de démontage", "treatment_code": "R4",
         "carrier_name": "Ferrailleur local", "carrier_receipt": "", "tracking_number": ""},
        {"waste_code": "150101", "description": "Cartons souillés", "treatment_code": "D10",
         "carrier_name": "Suez Isère", "carrier_receipt": "38-2022-0310", "tracking_number": ""},
    ):
        waste_removal_create(acting_user=user, data={
            "site": sites["VIE"], "removed_on": last - datetime.timedelta(days=10), "quantity": Decimal("0.250"),
            "unit": "t", "destination_name": "Installation à préciser", "destination_address": "Vienne", **extra})


def _meters(user, organization, sites, ends):
    from qse.services import object_create
    from risks.models import EmissionFactor, Meter, MeterReading

    factors = {factor.code: factor for factor in EmissionFactor.objects.filter(organization=organization)}
    meters = []
    for site, name, kind, unit, code, step, target in METERS:
        meter = object_create(model=Meter, acting_user=user, data={
            "site": sites[site], "name": name, "kind": kind, "unit": unit, "is_cumulative": True,
            "emission_factor": factors.get(code), "monthly_target": Decimal(target) if target else None})
        index = Decimal(1_000_000 if unit == "kWh" else 10_000)
        readings = [MeterReading(organization=organization, created_by=user, meter=meter,
                                 read_on=ends[0].replace(day=1) - datetime.timedelta(days=1), value=index)]
        for position, end in enumerate(ends):
            # A little less every year: the plan works.
            index += Decimal(round(step * SEASON[end.month - 1] * (0.97 if end.year > ends[0].year else 1)))
            readings.append(MeterReading(organization=organization, created_by=user, meter=meter, read_on=end,
                                         value=index, source="invoice" if position % 3 == 2 else "manual"))
        MeterReading.objects.bulk_create(readings)
        meters.append(meter)
    return meters


def _production(user, sites, ends):
    from risks.models import ProductionVolume

    for site, base in (("LYO", 410), ("VIE", 180)):
        ProductionVolume.objects.bulk_create([
            ProductionVolume(organization=sites[site].organization, created_by=user, site=sites[site],
                             month=end.replace(day=1), quantity=Decimal(round(base * SEASON[end.month - 1] ** 0.5)),
                             unit="t")
            for end in ends
        ])


def _inventories(user, organization, today, meters):
    from qse.services import object_create
    from risks.models import EmissionFactor, GhgActivity, GhgInventory
    from risks.services_environment import ghg_inventory_calculate, ghg_reduction_action_create

    factors = {factor.code: factor for factor in EmissionFactor.objects.filter(organization=organization)}
    earlier = object_create(model=GhgInventory, acting_user=user, data={
        "year": today.year - 2, "notes": "Bilan établi à partir des factures (compteurs suivis depuis l'année suivante)."})
    latest = object_create(model=GhgInventory, acting_user=user, data={
        "year": today.year - 1, "notes": "Périmètre : sites de Lyon-Gerland et de Vienne, scopes 1, 2 et 3 partiel."})
    rows = [
        (earlier, "electricity", "Électricité des deux sites (factures)", 2_050_000, "electricity-fr"),
        (earlier, "stationary_combustion", "Gaz naturel chaufferie (factures)", 430_000, "natural-gas"),
        (earlier, "mobile_combustion", "Véhicules de service (cartes carburant)", 4_900, "diesel-road"),
        (earlier, "refrigerant", "Recharge R-410A groupe froid", Decimal("6.5"), "refrigerant-r410a"),
        (earlier, "purchased_goods", "Acier en barres", 920, "steel-primary"),
        (latest, "mobile_combustion", "Véhicules de service (cartes carburant)", 4_200, "diesel-road"),
        (latest, "mobile_combustion", "Chariots élévateurs (GNR)", 1_800, "diesel-non-road"),
        (latest, "refrigerant", "Recharge R-410A groupe froid", Decimal("3.5"), "refrigerant-r410a"),
        (latest, "refrigerant", "Recharge R-134a climatisation bureaux", Decimal("1.2"), "refrigerant-r134a"),
        (latest, "purchased_goods", "Acier en barres", 850, "steel-primary"),
    ]
    for inventory, kind, description, quantity, code in rows:
        object_create(model=GhgActivity, acting_user=user, data={
            "inventory": inventory, "kind": kind, "description": description, "quantity": Decimal(quantity),
            "factor": factors[code]})
    ghg_inventory_calculate(inventory=earlier, acting_user=user)
    latest = ghg_inventory_calculate(inventory=latest, acting_user=user)
    for title, days in (("Remplacer les compresseurs par des modèles à vitesse variable", 150),
                        ("Détecter les fuites du groupe froid chaque trimestre et passer au R-32", 90)):
        ghg_reduction_action_create(inventory=latest, acting_user=user, data={
            "title": title, "due_on": today + datetime.timedelta(days=days), "owner": user})
