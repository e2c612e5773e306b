"""Every write of the environmental aspects register: score and significance derived from
the significance rule (``risks.aspects``), never typed in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qse.services import ensure_can, object_create, object_update
from risks import aspects
from risks.models import AspectCondition, EnvironmentalAspect

SCORED_FIELDS = ("severity", "frequency", "control", "condition", "is_compliance_obligation")


def environmental_aspect_create(*, acting_user, data: dict) -> EnvironmentalAspect:
    """Record an environmental aspect; its score and significance come from the rule."""
    ensure_can(acting_user, "add", EnvironmentalAspect)
    defaults = {"condition": AspectCondition.NORMAL, "is_compliance_obligation": False}
    data = {**data, **_checked_and_scored({**defaults, **data})}
    return object_create(model=EnvironmentalAspect, acting_user=acting_user, data=data)


def environmental_aspect_update(
    *, aspect: EnvironmentalAspect, acting_user, data: dict, expected_version: int | None
) -> EnvironmentalAspect:
    """Edit an environmental aspect; score and significance follow its (possibly new) scores."""
    ensure_can(acting_user, "change", aspect)
    merged = {name: getattr(aspect, name) for name in SCORED_FIELDS}
    merged.update(data)
    changes = {**data, **_checked_and_scored(merged)}
    return object_update(obj=aspect, acting_user=acting_user, data=changes, expected_version=expected_version)


def environmental_aspects_import(*, aspects: list[EnvironmentalAspect], acting_user) -> list[EnvironmentalAspect]:
    """Write rows a spreadsheet import has validated: scored on the rule, one bulk insert
    (the history triggers fire per row)."""
    ensure_can(acting_user, "add", EnvironmentalAspect)
    for aspect in aspects:
        for name, value in _checked_and_scored({name: getattr(aspect, name) for name in SCORED_FIELDS}).items():
            setattr(aspect, name, value)
    return EnvironmentalAspect.objects.bulk_create(aspects, batch_size=1000)


def _checked_and_scored(values: dict) -> dict:
    rule = aspects.significance_rule()
    errors = {}
    for name in aspects.CRITERIA:
        allowed = aspects.scale_values(rule, name)
        if values.get(name) not in allowed:
            errors[name] = [_("Choose a level of the scale ({levels}).").format(levels=", ".join(map(str, allowed)))]
    if values.get("condition") not in AspectCondition.values:
        errors["condition"] = [_("Choose a condition of the list.")]
    if errors:
        raise ValidationError(errors)
    score, is_significant = aspects.significance(
        rule, values["severity"], values["frequency"], values["control"], values["condition"],
        bool(values.get("is_compliance_obligation")),
    )
    return {"score": score, "is_significant": is_significant}
