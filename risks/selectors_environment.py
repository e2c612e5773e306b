"""Reads of environmental performance for its pages, exports, PDFs, the API, the management
review and (at merge) the objectives module's computed indicators. Every figure is an SQL
aggregate over the rows the user may see (``restrict()``); no query per row.

Documented figures (the objectives source registry wires them):
- ``waste_tonnes_by_code(user, start, end, site=None)``: tonnes per waste code;
- ``waste_monthly_figures(user, start, end, site=None)``: per site and month, tonnes, hazardous
  share, material and energy recovery rates;
- ``meter_monthly_consumption(user, start, end, meters=None)``: consumption per meter and month;
- ``meter_intensity(user, meter, start, end)``: consumption per unit produced, per month;
- ``ghg_totals(user, ...)``: tCO2e by year, scope, item and site (current calculations).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Lag, TruncMonth
from django.utils.translation import gettext as _

from risks import environment_library as library
from risks import ghg
from risks.models import (
    EmissionFactor,
    GhgActivity,
    GhgInventory,
    GhgResult,
    Meter,
    MeterReading,
    ProductionVolume,
    ResultSource,
    WasteRegisterExtract,
    WasteRemoval,
)

# --- the waste register ---------------------------------------------------------------------


def waste_removal_queryset():
    """Removals with what every list and detail shows, in one query."""
    return WasteRemoval.objects.select_related("site")


def waste_register_extract_queryset():
    return WasteRegisterExtract.objects.select_related("site")


def waste_flags(removal: WasteRemoval) -> list[str]:
    """The register's checks on one removal, from its own fields (no query): a hazardous waste
    without a traceability document (R541-45), a carrier without its receipt (R541-50), a
    disposal where French law organises the recovery of that waste."""
    flags = []
    if removal.is_hazardous and not removal.tracking_number.strip():
        flags.append(_("Hazardous waste without a traceability document (BSD)"))
    if not removal.carrier_receipt.strip():
        flags.append(_("Carrier without a receipt number"))
    if removal.treatment_code.startswith("D") and removal.waste_code in library.recovery_expected():
        flags.append(_("Disposal where a recovery route exists for this waste"))
    return flags


def flagged_q() -> Q:
    """The same checks as ``waste_flags``, as a filter the database applies."""
    disposal = [code for code in library.treatments() if code.startswith("D")]
    return (
        Q(is_hazardous=True, tracking_number="")
        | Q(carrier_receipt="")
        | Q(treatment_code__in=disposal, waste_code__in=list(library.recovery_expected()))
    )


def _removals(user, start: datetime.date, end: datetime.date, site=None):
    rows = WasteRemoval.objects.restrict(user, "view").filter(archived_at__isnull=True,
                                                              removed_on__range=(start, end))
    return rows.filter(site=site) if site is not None else rows


def _codes(family: str) -> list[str]:
    return [code for code, entry in library.treatments().items() if entry["family"] == family]


def waste_tonnes_by_code(*, user, start: datetime.date, end: datetime.date, site=None) -> list[dict]:
    """Tonnes and removals per waste code over the period, heaviest first (one query)."""
    rows = (_removals(user, start, end, site).values("waste_code", "is_hazardous")
            .annotate(weight=Sum("tonnes"), removals=Count("id")).order_by(F("weight").desc(nulls_last=True), "waste_code"))
    return [{**row, "code": library.display_code(row["waste_code"]), "label": library.waste_label(row["waste_code"]),
             "tonnes": row["weight"] or Decimal(0)} for row in rows]


def _share(part, whole) -> Decimal | None:
    return (Decimal(part or 0) * 100 / whole).quantize(Decimal("0.1")) if whole else None


# Removals written in m³: weighed through a density, or left out of the tonnes for want of one.
_CONVERSIONS = {
    "converted": Count("id", filter=Q(converted_density__isnull=False)),
    "not_converted": Count("id", filter=Q(unit="m3", tonnes__isnull=True)),
}


def waste_monthly_figures(*, user, start: datetime.date, end: datetime.date, site=None) -> list[dict]:
    """Per site and month: tonnes, hazardous tonnes and share, material (R2-R11) and energy
    (R1) recovery tonnes and rates, tonnes in transit (R12-R13, D13-D15). One GROUP BY query;
    volumes (m³) count through their density (``converted`` of them); a volume without one has
    no tonnes and is counted in ``removals`` and ``not_converted`` only."""
    rows = (
        _removals(user, start, end, site).annotate(month=TruncMonth("removed_on"))
        .values("site_id", "site__name", "month")
        .annotate(
            weight=Sum("tonnes"), removals=Count("id"), **_CONVERSIONS,
            hazardous=Sum("tonnes", filter=Q(is_hazardous=True)),
            material=Sum("tonnes", filter=Q(treatment_code__in=_codes("material"))),
            energy=Sum("tonnes", filter=Q(treatment_code__in=_codes("energy"))),
            transit=Sum("tonnes", filter=Q(treatment_code__in=_codes("transit"))),
        )
        .order_by("site__name", "month")
    )
    return [_with_rates(row) for row in rows]


def _with_rates(row: dict) -> dict:
    total = row.pop("weight") or Decimal(0)
    return {
        **row, "tonnes": total,
        "hazardous_share": _share(row["hazardous"], total),
        "material_rate": _share(row["material"], total),
        "energy_rate": _share(row["energy"], total),
        "recovery_rate": _share((row["material"] or 0) + (row["energy"] or 0), total),
    }


def waste_totals(*, user, start: datetime.date, end: datetime.date, site=None) -> dict:
    """The period's totals with the same rates (one query)."""
    totals = _removals(user, start, end, site).aggregate(
        weight=Sum("tonnes"), removals=Count("id"), **_CONVERSIONS, hazardous=Sum("tonnes", filter=Q(is_hazardous=True)),
        material=Sum("tonnes", filter=Q(treatment_code__in=_codes("material"))),
        energy=Sum("tonnes", filter=Q(treatment_code__in=_codes("energy"))),
        transit=Sum("tonnes", filter=Q(treatment_code__in=_codes("transit"))),
        flagged=Count("id", filter=flagged_q()),
    )
    return _with_rates(totals)


def waste_register_rows(*, user, extract: WasteRegisterExtract):
    """The removals of the extract's site and period, in the register's chronological order."""
    return (waste_removal_queryset().restrict(user, "view")
            .filter(archived_at__isnull=True, site_id=extract.site_id,
                    removed_on__range=(extract.start_on, extract.end_on))
            .order_by("removed_on", "pk"))


def waste_register_line(removal: WasteRemoval) -> dict:
    """One removal as the inspector's register prints it (plain data)."""
    treatment = library.treatments().get(removal.treatment_code, {})
    from risks.library import localized

    return {
        "removed_on": removal.removed_on, "code": library.display_code(removal.waste_code),
        "description": removal.description, "label": library.waste_label(removal.waste_code),
        "is_hazardous": removal.is_hazardous, "is_pop": removal.is_pop, "quantity": removal.quantity,
        "unit": removal.unit, "treatment_code": removal.treatment_code,
        "treatment": localized(treatment.get("label")), "carrier_name": removal.carrier_name,
        "carrier_siren": removal.carrier_siren, "carrier_receipt": removal.carrier_receipt,
        "destination_name": removal.destination_name, "destination_address": removal.destination_address,
        "destination_siret": removal.destination_siret, "tracking_number": removal.tracking_number,
        "flags": waste_flags(removal),
    }


# --- meters and consumption -------------------------------------------------------------------


def meter_queryset():
    return Meter.objects.select_related("site", "emission_factor")


def meter_reading_queryset():
    return MeterReading.objects.select_related("meter", "meter__site")


def production_volume_queryset():
    return ProductionVolume.objects.select_related("site")


def meter_monthly_consumption(*, user, start: datetime.date, end: datetime.date, meters=None) -> dict:
    """Consumption per (meter id, first day of month) over the period, in SQL: an index meter
    consumes the difference with its previous reading (LAG over the meter's readings, the
    reading before the period included), a non-index meter the value of each entry; a
    negative difference (a meter replaced or reset) is left out rather than counted. An entry
    with a billing period (an invoice from ``period_start_on`` to its date) is spread over the
    months it covers, pro rata by days: 600 kWh from 1 January to 1 March (60 days) count 310
    in January, 280 in February and 10 in March."""
    if meters is not None and not len(meters):
        return {}
    readings = MeterReading.objects.restrict(user, "view").filter(
        Q(read_on__lte=end) | Q(period_start_on__lte=end, meter__is_cumulative=False), archived_at__isnull=True)
    if meters is not None:
        readings = readings.filter(meter__in=meters)
    inner = readings.annotate(
        previous=Window(Lag("value"), partition_by=[F("meter_id")], order_by=[F("read_on").asc(), F("id").asc()]),
        is_cumulative=F("meter__is_cumulative"),
    ).values("meter_id", "read_on", "period_start_on", "value", "previous", "is_cumulative").order_by()
    # order_by(): the model's ordering (latest first) sorted every reading again after the
    # window's own sort, for a sum that needs no order (a third of the query's time).
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # restrict() gave none: a member with no right on readings
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_MONTHLY_CONSUMPTION.format(readings=sql), [*params, start.replace(day=1), end])
        return {(meter_id, month): value for meter_id, month, value in cursor.fetchall()}


# Each reading's months: its own, or every month of its billing period (a non-index meter's
# invoice), with the share of the period's days that fall in each.
_MONTHLY_CONSUMPTION = """
SELECT r.meter_id, m.month, SUM(CASE
    WHEN r.is_cumulative THEN r.value - r.previous
    WHEN r.first_day IS NULL THEN r.value
    ELSE r.value * (LEAST(r.read_on, (m.month + interval '1 month')::date - 1) - GREATEST(r.first_day, m.month) + 1)
         / (r.read_on - r.first_day + 1)
END)
FROM (SELECT *, CASE WHEN NOT is_cumulative THEN period_start_on END AS first_day FROM ({readings}) AS q) AS r
CROSS JOIN LATERAL generate_series(date_trunc('month', coalesce(r.first_day, r.read_on)::timestamp),
                                   date_trunc('month', r.read_on::timestamp), interval '1 month') AS g(start)
CROSS JOIN LATERAL (SELECT g.start::date AS month) AS m
WHERE m.month >= %s AND m.month <= %s
  AND (NOT r.is_cumulative OR (r.previous IS NOT NULL AND r.value >= r.previous))
GROUP BY r.meter_id, m.month
"""


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the months from ``start`` to ``end`` included."""
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return found


def meter_series(*, user, meter: Meter, start: datetime.date, end: datetime.date) -> list[dict]:
    """Month by month: the meter's consumption, its target, its site's production and the
    intensity (consumption per unit produced). Two queries."""
    consumption = meter_monthly_consumption(user=user, start=start, end=end, meters=[meter.pk])
    production = dict(
        ProductionVolume.objects.restrict(user, "view")
        .filter(archived_at__isnull=True, site_id=meter.site_id, month__range=(start.replace(day=1), end))
        .values_list("month", "quantity")
    )
    series = []
    for month in months(start, end):
        used, made = consumption.get((meter.pk, month)), production.get(month)
        series.append({"month": month, "consumption": used, "target": meter.monthly_target, "production": made,
                       "intensity": (used / made).quantize(Decimal("0.0001")) if used is not None and made else None})
    return series


def production_unit(*, user, site_id) -> str:
    unit = (ProductionVolume.objects.restrict(user, "view").filter(site_id=site_id).order_by("-month")
            .values_list("unit", flat=True).first())
    return unit or ""


# --- greenhouse gases ----------------------------------------------------------------------------


def emission_factor_queryset():
    return EmissionFactor.objects.all()


def ghg_inventory_queryset():
    return GhgInventory.objects.select_related("site")


def ghg_activity_queryset():
    return GhgActivity.objects.select_related("inventory", "inventory__site", "factor")


def newest_factors() -> dict[str, EmissionFactor]:
    """The newest edition of each factor of the current organization, by code."""
    editions = (EmissionFactor.objects.in_current_organization().filter(archived_at__isnull=True)
                .order_by("code", "-year", "-pk").distinct("code"))
    return {factor.code: factor for factor in editions}


def ghg_calculation_lines(*, inventory: GhgInventory, factors: dict[str, EmissionFactor], user) -> list[dict]:
    """The result lines a calculation of the inventory writes now (see ``ghg_calculation_report``)."""
    return ghg_calculation_report(inventory=inventory, factors=factors, user=user)[0]


def ghg_calculation_report(*, inventory: GhgInventory, factors: dict[str, EmissionFactor], user):
    """(lines, warnings): the lines of the meters with a factor, of the activity data and of
    the waste register (tonnes recovered or disposed of) for the inventory's year and scope,
    each with the newest edition of its factor; and what could not be counted, said."""
    from risks.services_environment import line

    start, end = datetime.date(inventory.year, 1, 1), datetime.date(inventory.year, 12, 31)
    lines, warnings = [], []
    for item in _meter_items(inventory, start, end, user) + _activity_items(inventory) + _waste_items(inventory, start, end):
        factor = factors.get(item.pop("factor_code"))
        if factor is None:
            warnings.append(_("{label}: no emission factor {code} in the organization.").format(
                label=item["label"], code=item.get("wanted", "")))
            continue
        item.pop("wanted", None)
        result = line(factor=factor, **item)
        if result is None:
            warnings.append(_("{label}: {unit} does not convert into the factor's unit ({factor_unit}).").format(
                label=item["label"], unit=item["unit"], factor_unit=factor.unit))
            continue
        lines.append(result)
    return lines, warnings


def _in_scope(queryset, inventory: GhgInventory, site_path: str):
    """The rows of the inventory's organization (and site, for a site inventory)."""
    queryset = queryset.in_current_organization().filter(archived_at__isnull=True)
    return queryset.filter(**{site_path: inventory.site_id}) if inventory.site_id else queryset


def _meter_items(inventory, start, end, user) -> list[dict]:
    meters = list(_in_scope(Meter.objects.select_related("emission_factor"), inventory, "site_id")
                  .filter(emission_factor__isnull=False))
    if not meters:
        return []
    consumption = _yearly_consumption(meters, start, end, user)
    return [
        {"item": ghg.item_of(meter.emission_factor.activity), "source": ResultSource.METER, "label": meter.name,
         "site_id": meter.site_id, "quantity": consumption[meter.pk], "unit": meter.unit,
         "factor_code": meter.emission_factor.code, "wanted": meter.emission_factor.code}
        for meter in meters if consumption.get(meter.pk)
    ]


def _yearly_consumption(meters: list[Meter], start, end, user) -> dict[int, Decimal]:
    """Consumption per meter over the year, by the monthly SQL of the pages."""
    monthly = meter_monthly_consumption(user=user, start=start, end=end, meters=[m.pk for m in meters])
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (meter_id, _month), value in monthly.items():
        totals[meter_id] += value or 0
    return totals


def _activity_items(inventory) -> list[dict]:
    activities = GhgActivity.objects.in_current_organization().filter(
        inventory=inventory, archived_at__isnull=True).select_related("factor")
    return [
        {"item": ghg.item_of(activity.kind), "source": ResultSource.ACTIVITY, "label": activity.description,
         "site_id": inventory.site_id, "quantity": activity.quantity, "unit": activity.factor.unit,
         "factor_code": activity.factor.code, "wanted": activity.factor.code}
        for activity in activities
    ]


WASTE_FACTORS = {"recovery": "waste-recovery", "disposal": "waste-disposal"}


def _waste_items(inventory, start, end) -> list[dict]:
    """Tonnes of the year per site, recovered (R) or disposed of (D), for BEGES item 4.3."""
    rows = (_in_scope(WasteRemoval.objects, inventory, "site_id").filter(removed_on__range=(start, end), tonnes__isnull=False)
            .values("site_id", "site__name")
            .annotate(recovery=Sum("tonnes", filter=Q(treatment_code__startswith="R")),
                      disposal=Sum("tonnes", filter=Q(treatment_code__startswith="D")))
            .order_by("site__name"))
    items = []
    for row in rows:
        for family, code in WASTE_FACTORS.items():
            if row[family]:
                label = _("Waste recovered, {site}") if family == "recovery" else _("Waste disposed of, {site}")
                items.append({"item": "4.3", "source": ResultSource.WASTE, "label": label.format(site=row["site__name"]),
                              "site_id": row["site_id"], "quantity": row[family], "unit": "t", "factor_code": code,
                              "wanted": code})
    return items


def _current_results(user, inventories=None):
    """Result lines of the current calculation of each inventory the user may see."""
    results = GhgResult.objects.restrict(user, "view").filter(calculation=F("inventory__calculation"),
                                                              inventory__archived_at__isnull=True)
    return results.filter(inventory__in=inventories) if inventories is not None else results


def ghg_summary(*, user, inventory: GhgInventory) -> dict:
    """The inventory's current calculation: tCO2e by scope, by BEGES item and by site (three
    GROUP BY queries), with its total."""
    results = _current_results(user, [inventory.pk])
    by_scope = {row["scope"]: _tonnes(row["kg"]) for row in
                results.values("scope").annotate(kg=Sum("kg_co2e")).order_by("scope")}
    by_item = [{"item": row["item"], "label": ghg.item_label(row["item"]), "scope": row["scope"],
                "tonnes": _tonnes(row["kg"])}
               for row in results.values("item", "scope").annotate(kg=Sum("kg_co2e")).order_by("item")]
    by_site = [{"site": row["emission_site__name"] or _("Organization-wide"), "tonnes": _tonnes(row["kg"])}
               for row in results.values("emission_site__name").annotate(kg=Sum("kg_co2e")).order_by("-kg")]
    return {"by_scope": [{"scope": scope, "tonnes": by_scope.get(scope, Decimal(0))} for scope in (1, 2, 3)],
            "by_item": by_item, "by_site": by_site, "total": sum(by_scope.values(), Decimal(0))}


def _tonnes(kg) -> Decimal:
    return (Decimal(kg or 0) / 1000).quantize(Decimal("0.001"))


def ghg_lines(*, user, inventory: GhgInventory, calculation: int | None = None):
    """The lines of one calculation (the current one by default), by item."""
    number = inventory.calculation if calculation is None else calculation
    return (GhgResult.objects.restrict(user, "view").filter(inventory=inventory, calculation=number)
            .select_related("emission_site").order_by("item", "label", "pk"))


def ghg_calculations(*, user, inventory: GhgInventory) -> list[dict]:
    """Every calculation of the inventory, newest first: when and its total (one query)."""
    rows = (GhgResult.objects.restrict(user, "view").filter(inventory=inventory).values("calculation")
            .annotate(kg=Sum("kg_co2e"), lines=Count("id")).order_by("-calculation"))
    return [{"calculation": row["calculation"], "tonnes": _tonnes(row["kg"]), "lines": row["lines"],
             "is_current": row["calculation"] == inventory.calculation} for row in rows]


def ghg_totals_by_year(*, user, site_id=None) -> list[dict]:
    """tCO2e per year and scope of the current calculations, for the organization-wide
    inventories (or one site's), oldest first, with the change on the year before."""
    inventories = GhgInventory.objects.restrict(user, "view").filter(archived_at__isnull=True, site_id=site_id)
    rows = (_current_results(user, inventories).values("inventory__year", "scope").annotate(kg=Sum("kg_co2e"))
            .order_by("inventory__year", "scope"))
    years: dict[int, dict] = {}
    for row in rows:
        entry = years.setdefault(row["inventory__year"], {"year": row["inventory__year"], 1: Decimal(0), 2: Decimal(0),
                                                          3: Decimal(0)})
        entry[row["scope"]] = _tonnes(row["kg"])
    trend, previous = [], None
    for year in sorted(years):
        entry = years[year]
        total = entry[1] + entry[2] + entry[3]
        change = _share(total - previous, previous) if previous else None
        trend.append({"year": year, "scope1": entry[1], "scope2": entry[2], "scope3": entry[3], "total": total,
                      "change": change})
        previous = total
    return trend


def beges_table(*, user, inventory: GhgInventory) -> list[dict]:
    """The current calculation in the BEGES report's shape: every category and item, with
    its tCO2e (zero where nothing was measured)."""
    measured = {row["item"]: row["tonnes"] for row in ghg_summary(user=user, inventory=inventory)["by_item"]}
    table = []
    for code, label, items in ghg.BEGES_CATEGORIES:
        rows = [{"item": item, "label": str(item_label), "tonnes": measured.get(item, Decimal(0))} for item, item_label in items]
        table.append({"code": code, "label": str(label), "scope": ghg.CATEGORY_SCOPE[code], "items": rows,
                      "tonnes": sum((row["tonnes"] for row in rows), Decimal(0))})
    return table


def environmental_footprint(*, user) -> dict | None:
    """For the management review and the climate decision: the latest calculated
    organization-wide inventory's total and scopes, and the trend of the years."""
    trend = ghg_totals_by_year(user=user)
    if not trend:
        return None
    latest = trend[-1]
    inventory = (GhgInventory.objects.restrict(user, "view")
                 .filter(archived_at__isnull=True, site__isnull=True, year=latest["year"]).first())
    return {"latest": latest, "trend": trend, "inventory": inventory}


def meter_year_totals(*, user, start: datetime.date, end: datetime.date, limit: int = 50) -> list[dict]:
    """The period's consumption of each meter the user may see (at most ``limit`` meters,
    by site and name), with its target over the same months. Two queries."""
    meters = list(meter_queryset().restrict(user, "view").filter(archived_at__isnull=True)[:limit])
    monthly = meter_monthly_consumption(user=user, start=start, end=end, meters=[meter.pk for meter in meters])
    totals: dict[int, Decimal] = defaultdict(Decimal)
    counted: dict[int, int] = defaultdict(int)
    for (meter_id, _month), value in monthly.items():
        totals[meter_id] += value or 0
        counted[meter_id] += 1
    return [{"meter": meter, "total": totals.get(meter.pk), "months": counted.get(meter.pk, 0),
             "target": meter.monthly_target * counted[meter.pk] if meter.monthly_target and counted.get(meter.pk) else None}
            for meter in meters]
