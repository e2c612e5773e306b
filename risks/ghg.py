"""The greenhouse-gas footprint as data and pure functions: the French regulatory report's
(BEGES, method v5, 2022) six categories and their items, which kind of activity falls in
which item and scope, and the arithmetic of a result line. No database, no clock."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    """What an activity datum measures; it decides the scope and the BEGES item."""

    STATIONARY_COMBUSTION = "stationary_combustion", _("Stationary combustion (boilers, furnaces)")
    MOBILE_COMBUSTION = "mobile_combustion", _("Company vehicles and machinery (fuel)")
    PROCESS = "process", _("Process emissions")
    REFRIGERANT = "refrigerant", _("Refrigerant top-ups (leaks)")
    ELECTRICITY = "electricity", _("Electricity")
    HEAT = "heat", _("Purchased heat, steam or cooling")
    FREIGHT_UPSTREAM = "freight_upstream", _("Upstream freight")
    FREIGHT_DOWNSTREAM = "freight_downstream", _("Downstream freight")
    COMMUTING = "commuting", _("Employee commuting")
    BUSINESS_TRAVEL = "business_travel", _("Business travel")
    PURCHASED_GOODS = "purchased_goods", _("Purchased goods")
    CAPITAL_GOODS = "capital_goods", _("Capital goods")
    WASTE = "waste", _("Waste")
    OTHER = "other", _("Other emissions")


# BEGES method v5 (ministry of ecological transition, 2022): six categories, 22 items (postes).
# Written from the method's table; the item codes are the report's own ("1.1" ... "6.1").
BEGES_CATEGORIES = [
    ("1", _("Direct GHG emissions"), [
        ("1.1", _("Direct emissions from stationary combustion sources")),
        ("1.2", _("Direct emissions from mobile combustion sources")),
        ("1.3", _("Direct emissions from processes other than energy")),
        ("1.4", _("Direct fugitive emissions")),
        ("1.5", _("Emissions from biomass (soils and forests)")),
    ]),
    ("2", _("Indirect emissions from imported energy"), [
        ("2.1", _("Indirect emissions from electricity consumption")),
        ("2.2", _("Indirect emissions from energy consumption other than electricity")),
    ]),
    ("3", _("Indirect emissions from transport"), [
        ("3.1", _("Upstream freight transport")),
        ("3.2", _("Downstream freight transport")),
        ("3.3", _("Employee commuting")),
        ("3.4", _("Customer and visitor transport")),
        ("3.5", _("Business travel")),
    ]),
    ("4", _("Indirect emissions from purchased products"), [
        ("4.1", _("Purchased goods")),
        ("4.2", _("Capital goods")),
        ("4.3", _("Waste disposal")),
        ("4.4", _("Upstream leased assets")),
        ("4.5", _("Purchased services")),
    ]),
    ("5", _("Indirect emissions from sold products"), [
        ("5.1", _("Use of sold products")),
        ("5.2", _("Downstream leased assets")),
        ("5.3", _("End of life of sold products")),
        ("5.4", _("Investments")),
    ]),
    ("6", _("Other indirect emissions"), [
        ("6.1", _("Other indirect emissions")),
    ]),
]

# The GHG Protocol scope of each BEGES category (categories 3 to 6 are scope 3).
CATEGORY_SCOPE = {"1": 1, "2": 2, "3": 3, "4": 3, "5": 3, "6": 3}

KIND_ITEM = {
    ActivityKind.STATIONARY_COMBUSTION: "1.1",
    ActivityKind.MOBILE_COMBUSTION: "1.2",
    ActivityKind.PROCESS: "1.3",
    ActivityKind.REFRIGERANT: "1.4",
    ActivityKind.ELECTRICITY: "2.1",
    ActivityKind.HEAT: "2.2",
    ActivityKind.FREIGHT_UPSTREAM: "3.1",
    ActivityKind.FREIGHT_DOWNSTREAM: "3.2",
    ActivityKind.COMMUTING: "3.3",
    ActivityKind.BUSINESS_TRAVEL: "3.5",
    ActivityKind.PURCHASED_GOODS: "4.1",
    ActivityKind.CAPITAL_GOODS: "4.2",
    ActivityKind.WASTE: "4.3",
    ActivityKind.OTHER: "6.1",
}

# Units a factor may be expressed in that convert into each other without a density.
UNIT_SCALE = {"kwh": ("kWh", Decimal(1)), "mwh": ("kWh", Decimal(1000)), "gwh": ("kWh", Decimal(1_000_000)),
              "kg": ("kg", Decimal(1)), "t": ("kg", Decimal(1000)), "l": ("L", Decimal(1)), "m3": ("m3", Decimal(1))}


def item_of(kind: str) -> str:
    return KIND_ITEM[kind]


def scope_of(item: str) -> int:
    return CATEGORY_SCOPE[item.split(".")[0]]


def item_label(item: str) -> str:
    for _code, _label, items in BEGES_CATEGORIES:
        for code, label in items:
            if code == item:
                return str(label)
    return item


def converted(quantity: Decimal, unit: str, factor_unit: str) -> Decimal | None:
    """The quantity in the factor's unit (MWh read, factor per kWh: x 1000); None when the
    units do not convert into each other (a volume against a mass)."""
    if unit.strip().lower() == factor_unit.strip().lower():
        return quantity
    source, target = UNIT_SCALE.get(unit.strip().lower()), UNIT_SCALE.get(factor_unit.strip().lower())
    if source is None or target is None or source[0] != target[0]:
        return None
    return quantity * source[1] / target[1]


def emissions_kg(quantity: Decimal, factor_value: Decimal) -> Decimal:
    """kg CO2e of a line, to the gram."""
    return (quantity * factor_value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
