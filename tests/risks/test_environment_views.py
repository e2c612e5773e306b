"""Environmental performance on the generic machinery: every declared model's pages and API
per role, across organizations, with history, conflicts, exports, imports and query
budgets (data only, ``qse.testing.ObjectViewsTestCase``)."""

import datetime
import itertools
from decimal import Decimal

from qse.testing import ObjectViewsTestCase
from risks.models import (
    EmissionFactor,
    GhgActivity,
    GhgInventory,
    Meter,
    MeterReading,
    ProductionVolume,
    WasteRegisterExtract,
    WasteRemoval,
)
from risks.views_environment import WasteRegisterExtractViews, WasteRemovalViews
from risks.views_environment_consumption import MeterReadingViews, MeterViews, ProductionVolumeViews
from risks.views_environment_ghg import EmissionFactorViews, GhgActivityViews, GhgInventoryViews

NUMBERS = itertools.count(1)
YEARS = itertools.count(0)  # inventory years stay within the field's 1990-2100
DAY = datetime.date(2026, 3, 16)


def removal(side, **extra):
    values = {
        "site": side.site, "removed_on": DAY, "waste_code": "150101", "description": f"{side.organization.name} cartons",
        "quantity": Decimal("1.200"), "tonnes": Decimal("1.2"), "treatment_code": "R3", "carrier_name": "Trans'Recycl",
        "carrier_siren": "552100554", "carrier_receipt": "59-2024-001", "destination_name": "Centre de tri Nord",
        "destination_address": "2 rue des Fibres, 59000 Lille", "destination_siret": "55210055400013", **extra,
    }
    return WasteRemoval.objects.create(organization=side.organization, **values)


def meter(side, name="Compteur général"):
    found, _created = Meter.objects.get_or_create(
        organization=side.organization, site=side.site, name=name,
        defaults={"kind": "electricity", "unit": "kWh", "is_cumulative": True},
    )
    return found


def factor(side, code="electricity-fr", year=2022, value="0.052", unit="kWh", activity="electricity"):
    found, _created = EmissionFactor.objects.get_or_create(
        organization=side.organization, code=code, year=year,
        defaults={"name": code, "activity": activity, "unit": unit, "value": Decimal(value), "source": "ADEME"},
    )
    return found


def inventory(side, year=None, site=None):
    return GhgInventory.objects.create(organization=side.organization, year=year or 1990 + next(YEARS) % 30, site=site)


class TestWasteRemovalViews(ObjectViewsTestCase):
    declaration = WasteRemovalViews
    edit = ("description", "Cartons souillés")

    def make(self, world, side):
        return removal(side)

    def form_data(self, world):
        return {
            "site": world.a.site.pk, "removed_on": "2026-04-02", "waste_code": "130205", "description": "Huiles de coupe",
            "quantity": "850", "unit": "kg", "treatment_code": "R9", "carrier_name": "Sevia",
            "carrier_siren": "552100554", "carrier_receipt": "69-2023-114", "destination_name": "Régénération Huiles",
            "destination_address": "ZI Sud, 69000 Lyon", "destination_siret": "55210055400013",
            "tracking_number": "BSD-20260402-AB12",
        }

    def import_rows(self, world):
        # As a carrier's or a Trackdéchets export writes them: spaced codes with the asterisk,
        # "R 13", French dates.
        return [
            {"site": world.a.site.code, "date of removal": f"1{i}/02/2026", "waste code": "13 02 05*",
             "usual name of the waste": "Huiles moteur", "quantity": "0.4", "unit": "t", "treatment operation": "R 13",
             "carrier": "Sevia", "carrier receipt number": "69-2023-114", "destination facility": "Sevia Lyon",
             "destination address": "ZI Sud, 69000 Lyon", "traceability document number": f"BSD-{i}"}
            for i in range(3)
        ]


class TestWasteRegisterExtractViews(ObjectViewsTestCase):
    declaration = WasteRegisterExtractViews
    edit = ("purpose", "Inspection DREAL du 12 mars")

    def make(self, world, side):
        return WasteRegisterExtract.objects.create(organization=side.organization, site=side.site,
                                                   start_on=datetime.date(2026, 1, 1), end_on=datetime.date(2026, 6, 30))

    def form_data(self, world):
        return {"site": world.a.site.pk, "start_on": "2025-01-01", "end_on": "2025-12-31", "purpose": "Contrôle annuel"}


class TestMeterViews(ObjectViewsTestCase):
    declaration = MeterViews
    edit = ("name", "TGBT atelier usinage")

    def make(self, world, side):
        return meter(side, name=f"{side.organization.name} compteur {next(NUMBERS)}")

    def form_data(self, world):
        return {"site": world.a.site.pk, "name": "Gaz chaufferie", "kind": "natural_gas", "unit": "kWh",
                "is_cumulative": True}


class TestMeterReadingViews(ObjectViewsTestCase):
    declaration = MeterReadingViews
    edit = ("value", Decimal("1234.500"))

    def make(self, world, side):
        return MeterReading.objects.create(organization=side.organization, meter=meter(side),
                                           read_on=DAY + datetime.timedelta(days=next(NUMBERS)), value=Decimal(100))

    def form_data(self, world):
        return {"meter": meter(world.a).pk, "read_on": (DAY - datetime.timedelta(days=next(NUMBERS))).isoformat(),
                "value": "98765", "source": "manual"}

    def import_rows(self, world):
        meter(world.a)
        return [{"meter": "Compteur général", "date": f"0{i + 1}/01/2025", "value": str(1000 * (i + 1))} for i in range(3)]


class TestProductionVolumeViews(ObjectViewsTestCase):
    declaration = ProductionVolumeViews
    edit = ("unit", "pièces")

    def make(self, world, side):
        month = datetime.date(2001, 1, 1) + datetime.timedelta(days=31 * next(NUMBERS))
        return ProductionVolume.objects.create(organization=side.organization, site=side.site, month=month.replace(day=1),
                                               quantity=Decimal(420))

    def form_data(self, world):
        month = datetime.date(2010, 1, 1) + datetime.timedelta(days=31 * next(NUMBERS))
        return {"site": world.a.site.pk, "month": month.replace(day=20).isoformat(), "quantity": "512", "unit": "t"}

    def import_rows(self, world):
        return [{"site": world.a.site.code, "month": f"15/0{i + 1}/2019", "quantity": "300", "unit": "t"} for i in range(3)]


class TestEmissionFactorViews(ObjectViewsTestCase):
    declaration = EmissionFactorViews
    edit = ("source", "ADEME Base Empreinte v23.4")

    def make(self, world, side):
        return factor(side, code=f"facteur-{next(NUMBERS)}")

    def form_data(self, world):
        return {"code": f"propane-{next(NUMBERS)}", "name": "Propane", "activity": "stationary_combustion", "unit": "kg",
                "value": "3.5", "year": 2023, "source": "Fournisseur", "is_verified": False}

    def import_rows(self, world):
        return [{"code": f"fret-{i}", "name": "Fret routier", "activity": "freight_upstream", "unit": "t.km",
                 "kg CO2e per unit": "0.1", "year": "2023", "source": "Transporteur"} for i in range(3)]


class TestGhgInventoryViews(ObjectViewsTestCase):
    declaration = GhgInventoryViews
    edit = ("notes", "Périmètre : usine de Lyon et bureaux")
    detail_query_budget = 45  # summary, lines, calculations, warnings (meters, activities, waste), trend, actions

    def make(self, world, side):
        return inventory(side)

    def form_data(self, world):
        return {"year": 2100 - next(YEARS) % 50, "site": world.a.site.pk, "notes": ""}


class TestGhgActivityViews(ObjectViewsTestCase):
    declaration = GhgActivityViews
    edit = ("description", "Flotte de véhicules de service")

    def make(self, world, side):
        return GhgActivity.objects.create(organization=side.organization, inventory=inventory(side), kind="mobile_combustion",
                                          description="Véhicules", quantity=Decimal(4200),
                                          factor=factor(side, code="diesel-road", year=2017, value="3.17", unit="L",
                                                        activity="mobile_combustion"))

    def form_data(self, world):
        return {"inventory": inventory(world.a).pk, "kind": "refrigerant", "description": "Recharge R-410A groupe froid",
                "quantity": "3.5", "factor": factor(world.a, code="refrigerant-r410a", year=2014, value="2088",
                                                    unit="kg", activity="refrigerant").pk}

    def import_rows(self, world):
        target = inventory(world.a, year=2024)
        used = factor(world.a, code="steel-primary", year=2023, value="1800", unit="t", activity="purchased_goods")
        return [{"inventory": str(target.pk), "kind": "purchased_goods", "description": f"Acier lot {i}", "quantity": "12",
                 "emission factor": str(used.pk)} for i in range(3)]
