"""Every write of environmental performance: the waste register (hazardous mark and tonnes
derived from the list of wastes, never typed in), production volumes (one per site and
month), the starter emission factors, the calculation of a greenhouse-gas inventory (a new
numbered set of results; earlier ones are kept) and its reduction actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qse.services import ConflictError, ensure_can, object_create, object_update, recorded
from qse.tenancy import current_organization
from risks import environment_library as library
from risks import ghg
from risks.models import (
    EmissionFactor,
    GhgInventory,
    GhgResult,
    ProductionVolume,
    WasteRemoval,
    WasteUnit,
)

TONNES_PER_UNIT = {WasteUnit.TONNE: Decimal(1), WasteUnit.KILOGRAM: Decimal("0.001")}


# --- the waste register ----------------------------------------------------------------------


def waste_errors(values: dict) -> dict[str, list[str]]:
    """What the list of wastes and the treatment annexes refuse in a removal's codes."""
    errors = {}
    if "waste_code" in values and values["waste_code"] not in library.wastes():
        errors["waste_code"] = [_("Not a code of the European list of wastes (six digits, e.g. 15 01 01).")]
    if "treatment_code" in values and values["treatment_code"] not in library.treatments():
        errors["treatment_code"] = [_("Not a treatment operation code (R1 to R13, D1 to D15).")]
    elif library.treatments().get(values.get("treatment_code"), {}).get("prohibited"):
        errors["treatment_code"] = [_("This operation is prohibited.")]
    return errors


def _waste_derived(values: dict) -> dict:
    """The normalised codes and what follows from them: the hazardous mark and the tonnes
    (a volume through the removal's density or its code's default)."""
    values = dict(values)
    if "waste_code" in values:
        values["waste_code"] = library.normalize_code(values["waste_code"])
    if "treatment_code" in values:
        values["treatment_code"] = library.normalize_treatment(values["treatment_code"])
    errors = waste_errors(values)
    if errors:
        raise ValidationError(errors)
    derived = {}
    if "waste_code" in values:
        derived["is_hazardous"] = library.is_hazardous(values["waste_code"])
    if {"quantity", "unit", "density", "waste_code"} & set(values):
        derived.update(_tonnes(values))
    return {**values, **derived}


def _tonnes(values: dict) -> dict:
    """Tonnes of a removal: a mass converted, a volume through its density (the one entered,
    else the waste code's default); None, with no density used, when a volume has neither."""
    quantity, unit = values.get("quantity"), values.get("unit")
    if quantity is None:
        return {"tonnes": None, "converted_density": None}
    if unit == WasteUnit.CUBIC_METRE:
        density = values.get("density") or library.default_density(values.get("waste_code", ""))
        return {"tonnes": Decimal(quantity) * density if density else None, "converted_density": density}
    factor = TONNES_PER_UNIT.get(unit)
    return {"tonnes": Decimal(quantity) * factor if factor is not None else None, "converted_density": None}


def waste_removal_create(*, acting_user, data: dict) -> WasteRemoval:
    """Record a removal; its hazardous mark and tonnes come from its code and quantity."""
    ensure_can(acting_user, "add", WasteRemoval)
    data = _waste_derived({"unit": WasteUnit.TONNE, **data})
    return object_create(model=WasteRemoval, acting_user=acting_user, data=data)


def waste_removal_update(*, removal: WasteRemoval, acting_user, data: dict, expected_version: int | None) -> WasteRemoval:
    """Edit a removal; the derived fields follow the (possibly new) code and quantity."""
    ensure_can(acting_user, "change", removal)
    merged = {"waste_code": removal.waste_code, "treatment_code": removal.treatment_code,
              "quantity": removal.quantity, "unit": removal.unit, "density": removal.density, **data}
    return object_update(obj=removal, acting_user=acting_user, data=_waste_derived(merged),
                         expected_version=expected_version)


def waste_removals_import(*, removals: list[WasteRemoval], acting_user) -> None:
    """Write validated imported rows (a carrier's or Trackdéchets export) with their derived
    fields, in one INSERT per 1,000 rows (inside the import's transaction)."""
    ensure_can(acting_user, "add", WasteRemoval)
    for removal in removals:
        derived = _waste_derived({name: getattr(removal, name)
                                  for name in ("waste_code", "treatment_code", "quantity", "unit", "density")})
        for name, value in derived.items():
            setattr(removal, name, value)
    WasteRemoval.objects.bulk_create(removals, batch_size=1000)


# --- production volumes ------------------------------------------------------------------------


def _first_of_month(data: dict) -> dict:
    month = data.get("month")
    return {**data, "month": month.replace(day=1)} if isinstance(month, datetime.date) else data


def production_volume_create(*, acting_user, data: dict) -> ProductionVolume:
    """Record a month's production of a site (the month is kept as its first day)."""
    return object_create(model=ProductionVolume, acting_user=acting_user, data=_first_of_month(data))


def production_volume_update(*, volume: ProductionVolume, acting_user, data: dict,
                             expected_version: int | None) -> ProductionVolume:
    return object_update(obj=volume, acting_user=acting_user, data=_first_of_month(data),
                         expected_version=expected_version)


def production_volumes_import(*, volumes: list[ProductionVolume], acting_user) -> None:
    ensure_can(acting_user, "add", ProductionVolume)
    for volume in volumes:
        volume.month = volume.month.replace(day=1)
    ProductionVolume.objects.bulk_create(volumes, batch_size=1000)


# --- emission factors ------------------------------------------------------------------------


def emission_factors_load_library(*, acting_user) -> int:
    """Copy the starter factors the organization does not hold yet (same code and year);
    returns how many were added. Run again after a library update, it adds the new editions."""
    ensure_can(acting_user, "add", EmissionFactor)
    held = set(EmissionFactor.objects.values_list("code", "year"))
    missing = [
        EmissionFactor(
            organization=current_organization(), created_by=acting_user, code=entry["code"],
            name=entry["label"]["fr"], activity=entry["activity"], unit=entry["unit"], value=Decimal(str(entry["value"])),
            year=entry["year"], source=entry["source"], is_verified=entry["verified"],
        )
        for entry in library.library_factors().values() if (entry["code"], entry["year"]) not in held
    ]
    with recorded(acting_user):
        EmissionFactor.objects.bulk_create(missing)
    return len(missing)


# --- the greenhouse-gas inventory ---------------------------------------------------------------


def ghg_inventory_calculate(*, inventory: GhgInventory, acting_user, expected_version: int | None = None) -> GhgInventory:
    """Calculate the inventory again with the newest edition of each factor: a new numbered
    set of result lines from the meters, the activity data and the waste register of its
    year and scope. Earlier calculations stay as they were (the history of the footprint)."""
    from risks import selectors_environment as selectors

    ensure_can(acting_user, "change", inventory)
    with recorded(acting_user):
        current = GhgInventory.objects.select_for_update().get(pk=inventory.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(current)
        number = current.calculation + 1
        lines = selectors.ghg_calculation_lines(inventory=current, factors=selectors.newest_factors(), user=acting_user)
        GhgResult.objects.bulk_create([
            GhgResult(organization_id=current.organization_id, created_by=acting_user, inventory=current,
                      calculation=number, **line) for line in lines
        ])
        current.calculation, current.calculated_at = number, timezone.now()
        current.version += 1
        current.save(update_fields=["calculation", "calculated_at", "version", "updated_at"])
    return current


def ghg_reduction_action_create(*, inventory: GhgInventory, acting_user, data: dict):
    """An action to reduce the footprint, linked to the inventory it answers (the one Action
    model, origin = the inventory)."""
    from improvement.choices import ActionOriginKind
    from improvement.services import action_create

    ensure_can(acting_user, "view", inventory)
    with transaction.atomic():
        return action_create(acting_user=acting_user, data={"site": inventory.site, **data}, origin=inventory,
                             origin_kind=ActionOriginKind.OTHER)


def line(*, item: str, source: str, label: str, site_id, quantity: Decimal, unit: str, factor: EmissionFactor) -> dict | None:
    """One result line as stored (the factor copied in); None when the quantity does not
    convert into the factor's unit (it is then reported, not guessed)."""
    in_factor_unit = ghg.converted(Decimal(quantity), unit, factor.unit)
    if in_factor_unit is None:
        return None
    return {
        "scope": ghg.scope_of(item), "item": item, "source": source, "label": label[:300], "emission_site_id": site_id,
        "quantity": in_factor_unit, "unit": factor.unit, "factor_code": factor.code, "factor_value": factor.value,
        "factor_year": factor.year, "factor_source": factor.source[:300],
        "kg_co2e": ghg.emissions_kg(in_factor_unit, factor.value),
    }
