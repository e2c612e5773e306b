"""A home per role: the process owner lands on "My actions", management on the management
dashboard, the coordinator on a to-do strip (what is late, what awaits triage or
verification). Each figure is read through its app's selectors, under the user's rights,
and links to the list that shows exactly those rows."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qse.permissions import can
from qse.registry import add_nav
from qse.roles import Role

# Where each role starts its day; any other role lands on the actions dashboard.
LANDING = {
    Role.PROCESS_OWNER: "improvement:my_actions",
    Role.CONTRIBUTOR: "improvement:my_actions",
    # The organization's dashboard (objectives), or the key figures when none is composed yet.
    Role.MANAGEMENT: "objectives:management_home",
    Role.COORDINATOR: "qse:todo",
    Role.ADMIN: "qse:todo",
}


@dataclass(frozen=True)
class Tile:
    """One figure of a home page and the list it opens (showing that many rows)."""

    label: str
    count: object
    url: str
    tone: str = ""  # late, done, check: the tile's colour


def _url(name: str, **query) -> str:
    pairs = [(key, item) for key, value in query.items() for item in (value if isinstance(value, list) else [value])]
    return reverse(name) + ("?" + urlencode(pairs) if pairs else "")


def home(request):
    from qse.onboarding import setup_needed

    if not request.user.is_authenticated:
        # A fresh installation has nobody to sign in: its first visit sets it up.
        if setup_needed():
            return redirect("setup")
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return _member_home(request)


@login_required
def _member_home(request):
    if request.membership is None:
        return render(request, "qse/no_membership.html", status=403)
    return redirect(LANDING.get(request.membership.role, "improvement:dashboard"))


def _member(request) -> None:
    if request.membership is None:
        raise PermissionDenied(_("You are not a member of any organization."))


# --- the coordinator's to-do strip ------------------------------------------------------------


def _action_tiles(user, today: datetime.date) -> list[Tile]:
    from improvement.models import Action
    from improvement.selectors import action_totals

    if not can(user, "view", Action):
        return []
    # Only the two figures shown, not the dashboard's breakdowns.
    totals = action_totals(user=user, today=today, figures=("late", "awaiting_check"))
    return [
        Tile(_("Late actions"), totals["late"], _url("improvement:action_list", late="true"), "late"),
        Tile(_("Actions awaiting effectiveness check"), totals["awaiting_check"],
             _url("improvement:action_list", effectiveness="awaiting"), "check"),
    ]


def _event_tiles(request) -> list[Tile]:
    from nonconformities.choices import EventStatus
    from nonconformities.models import Event
    from nonconformities.selectors import triage_queue
    from nonconformities.views_events import is_triager

    user = request.user
    if not can(user, "view", Event):
        return []
    tiles = []
    if is_triager(request):
        tiles.append(Tile(_("Events to triage"), triage_queue(user=user).count(),
                          reverse("nonconformities:event_triage"), "check"))
    verification = Event.objects.restrict(user, "view").filter(status=EventStatus.VERIFICATION, archived_at__isnull=True)
    tiles.append(Tile(_("Events awaiting verification"), verification.count(),
                      _url("nonconformities:event_list", status=EventStatus.VERIFICATION), "check"))
    return tiles


def _check_tiles(user, today: datetime.date) -> list[Tile]:
    from compliance.models import PeriodicCheck
    from compliance.selectors_checks import check_alert_counts

    if not can(user, "view", PeriodicCheck):
        return []
    counts = check_alert_counts(user=user, today=today)
    return [
        Tile(_("Overdue periodic checks"), counts["overdue"], _url("compliance:periodiccheck_list", due="overdue"), "late"),
        Tile(_("Open check observations"), counts["open_observations"],
             _url("compliance:checkobservation_list", open="true"), "check"),
    ]


@login_required
def todo(request):
    """The coordinator's day: what is late, what awaits triage or an effectiveness check."""
    _member(request)
    today = timezone.localdate()
    tiles = _action_tiles(request.user, today) + _event_tiles(request) + _check_tiles(request.user, today)
    return render(request, "qse/todo.html", {"tiles": tiles, "today": today, "checklist": _checklist(request)})


def _checklist(request):
    """The getting-started steps, shown to admins and coordinators until all are done."""
    from qse.checklist import checklist_of, is_complete

    if request.membership.role not in (Role.ADMIN, Role.COORDINATOR):
        return None
    states = checklist_of(request.organization)
    if is_complete(states):
        return None
    return {"steps": states, "done": sum(state.done for state in states), "total": len(states)}


# --- the management dashboard -----------------------------------------------------------------


def _risk_tiles(user) -> list[Tile]:
    from risks.choices import RiskKind, RiskStatus
    from risks.filtersets import LEVELS
    from risks.models import Risk
    from risks.selectors_review import risk_levels

    if not can(user, "view", Risk):
        return []
    counts = {c.level: c.count for c in risk_levels(user=user) if c.kind == RiskKind.RISK and c.phase == "inherent"}
    return [
        Tile(_("Open risks · {level}").format(level=label), counts.get(level, 0),
             _url("risks:risk_list", kind=RiskKind.RISK, level=level, status=RiskStatus.OPEN),
             "late" if level in ("high", "critical") else "")
        for level, label in LEVELS
    ]


def _management_action_tiles(user, today: datetime.date) -> list[Tile]:
    from improvement.models import Action
    from improvement.selectors import action_totals

    if not can(user, "view", Action):
        return []
    # Only the two figures shown, not the dashboard's breakdowns.
    totals = action_totals(user=user, today=today, figures=("late", "done"))
    return [
        Tile(_("Late actions"), totals["late"], _url("improvement:action_list", late="true"), "late"),
        Tile(_("Done (effective)"), totals["done"], _url("improvement:action_list", effectiveness="effective"), "done"),
    ]


def _management_event_tiles(user, today: datetime.date) -> list[Tile]:
    from nonconformities.choices import EventStatus
    from nonconformities.models import Event
    from nonconformities.selectors_dashboard import Period, accident_rates, events_in_period

    if not can(user, "view", Event):
        return []
    month = today.replace(day=1)
    last_day = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    period = Period(month, month, None)
    counted = [value for value, _label in EventStatus.choices if value != EventStatus.REJECTED]
    rolling = accident_rates(user=user, period=period)["rolling"]
    dashboard = reverse("nonconformities:dashboard")
    return [
        Tile(_("Events this month"), events_in_period(user=user, period=period).count(),
             _url("nonconformities:event_list", occurred_from=month.isoformat(), occurred_to=last_day.isoformat(),
                  status=counted)),
        Tile(_("TF (12 rolling months)"), _rate(rolling.frequency), dashboard),
        Tile(_("TG (12 rolling months)"), _rate(rolling.severity), dashboard),
    ]


def _rate(value):
    return "—" if value is None else value


@login_required
def management_dashboard(request):
    """Key figures for management: open risks by level, actions late and done, events of
    the month and the accident rates, each linking to its list."""
    _member(request)
    today = timezone.localdate()
    user = request.user
    context = {
        "risk_tiles": _risk_tiles(user),
        "action_tiles": _management_action_tiles(user, today),
        "event_tiles": _management_event_tiles(user, today),
        "today": today,
    }
    return render(request, "qse/management_dashboard.html", context)


add_nav("steer", gettext_lazy("Management dashboard"), "qse:management_dashboard", order=10)
add_nav("steer", gettext_lazy("To do"), "qse:todo", order=5,
        visible=lambda request: LANDING.get(request.membership.role) == "qse:todo")
