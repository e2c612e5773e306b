"""The improvement methods as data: each method's phases and their deliverables, and the
pure arithmetic of a project's gain (no ORM, no clock; table-tested)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils import translation
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


def phase_of(method: str, key: str) -> Phase | None:
    return next((phase for phase in phases_of(method) if phase.key == key), None) if key else None


def phase_name(method: str, key: str) -> str:
    """The name of a phase of a method in the active language ("" for a key the method does not have)."""
    phase = phase_of(method, key)
    return str(phase.name) if phase else ""


def phase_deliverables(method: str, key: str) -> str:
    """The deliverables of a phase of a method in the active language, one a line."""
    phase = phase_of(method, key)
    return "\n".join(str(item) for item in phase.deliverables) if phase else ""


def _plain(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").strip().splitlines())


def is_method_text(method: str, key: str, field: str, value: str) -> bool:
    """Whether ``value`` is the method's own text of the phase's ``field`` ("name" or
    "deliverables") in any of the site's languages: then it is stored empty and shown in each
    reader's language, not frozen in its writer's."""
    if phase_of(method, key) is None or not _plain(value):
        return False
    text_of = phase_name if field == "name" else phase_deliverables
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            if _plain(text_of(method, key)) == _plain(value):
                return True
    return False


# The statuses an edit of a project may set, from each status (None: a new project). "closed"
# is reached only through the close step, which checks the measured result; a closed project
# keeps its status (its closing report was written from it).
EDIT_STATUSES: dict[str | None, tuple[str, ...]] = {
    None: ("open",),
    "open": ("open", "cancelled"),
    "cancelled": ("cancelled", "open"),
    "closed": ("closed",),
}
CLOSE_THROUGH_STEP = _("A project is closed with the “Close the project” button (or the API's close step), "
                       "which checks its measured result.")
CLOSED_STAYS = _("A closed project keeps its status.")
NEW_IS_OPEN = _("A new project starts in progress.")


def status_edit_refusal(current: str | None, wanted: str) -> str | None:
    """Why an edit may not move a project from ``current`` to ``wanted`` (None when it may)."""
    if wanted in EDIT_STATUSES.get(current, ()):
        return None
    if wanted == "closed":
        return str(CLOSE_THROUGH_STEP)
    return str(CLOSED_STAYS if current == "closed" else NEW_IS_OPEN)


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
