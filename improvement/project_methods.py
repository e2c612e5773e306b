"""The improvement methods as data: each method's phases and their deliverables, and the
pure arithmetic of a project's gain (no ORM, no clock; table-tested)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectMethod(models.TextChoices):
    PDCA = "pdca", _("PDCA")
    DMAIC = "dmaic", _("DMAIC (Six Sigma)")
    A3 = "a3", _("A3")
    KAIZEN = "kaizen", _("Kaizen workshop")


@dataclass(frozen=True)
class Phase:
    key: str
    name: str  # lazy translated
    deliverables: tuple[str, ...]  # lazy translated


# Each method's phases in order, with what a phase must deliver before the next one starts.
METHODS: dict[str, tuple[Phase, ...]] = {
    ProjectMethod.PDCA: (
        Phase("plan", _("Plan"), (_("Problem and objective stated"), _("Causes analysed"), _("Action plan"))),
        Phase("do", _("Do"), (_("Actions carried out"), _("Data collected"))),
        Phase("check", _("Check"), (_("Results compared with the objective"),)),
        Phase("act", _("Act"), (_("Standard updated"), _("Lessons learned shared"))),
    ),
    ProjectMethod.DMAIC: (
        Phase("define", _("Define"), (_("Project charter"), _("SIPOC"), _("Voice of the customer (CTQ)"))),
        Phase("measure", _("Measure"), (_("Data collection plan"), _("Measurement system analysis"),
                                        _("Baseline of the indicator"))),
        Phase("analyse", _("Analyse"), (_("Root causes identified"), _("Causes verified with data"))),
        Phase("improve", _("Improve"), (_("Solutions chosen and piloted"), _("Action plan"))),
        Phase("control", _("Control"), (_("Control plan"), _("Updated standards"), _("Measured result"))),
    ),
    ProjectMethod.A3: (
        Phase("background", _("Background"), (_("Why this problem matters"),)),
        Phase("current", _("Current condition"), (_("Facts and figures of today"),)),
        Phase("target", _("Target condition"), (_("Measurable target"),)),
        Phase("analysis", _("Root-cause analysis"), (_("Root causes"),)),
        Phase("countermeasures", _("Countermeasures"), (_("Countermeasures and owners"),)),
        Phase("follow_up", _("Follow-up"), (_("Results checked"), _("Standard updated"))),
    ),
    ProjectMethod.KAIZEN: (
        Phase("prepare", _("Prepare"), (_("Scope and objective"), _("Team and dates"), _("Baseline"))),
        Phase("workshop", _("Workshop"), (_("Observed waste"), _("Improvements tried on the floor"))),
        Phase("follow_up", _("Follow-up (30 days)"), (_("Open actions closed"), _("Result measured"))),
        Phase("standardise", _("Standardise"), (_("Standard work updated"), _("Results shared"))),
    ),
}


def phases_of(method: str) -> tuple[Phase, ...]:
    return METHODS.get(method, ())


def phase_name(method: str, key: str) -> str:
    """The translated name of a phase of a method ("" for a key the method does not have)."""
    return next((str(phase.name) for phase in phases_of(method) if phase.key == key), "")


@dataclass(frozen=True)
class Gain:
    """Before / after of a project's indicator."""

    change: Decimal  # result - baseline, signed as measured
    percent: Decimal | None  # change relative to the baseline (None for a zero baseline)
    improved: bool  # moved in the good direction
    target_reached_percent: Decimal | None  # share of the planned change achieved


def gain(*, baseline: Decimal | None, target: Decimal | None, result: Decimal | None,
         lower_is_better: bool) -> Gain | None:
    """The gain from ``baseline`` to ``result`` (None until both are known); the share of the
    planned change (baseline -> target) achieved, when a different target is given."""
    if baseline is None or result is None:
        return None
    change = result - baseline
    percent = _tenth(change / abs(baseline) * 100) if baseline else None
    improved = change < 0 if lower_is_better else change > 0
    reached = None
    if target is not None and target != baseline:
        reached = _tenth(change / (target - baseline) * 100)
    return Gain(change=change, percent=percent, improved=improved, target_reached_percent=reached)


def _tenth(value: Decimal) -> Decimal:
    """Rounded to a tenth, halves away from zero (6.25 % is shown 6.3 %, as by hand)."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
