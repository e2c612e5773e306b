"""The getting-started checklist of a new organization: each step is ticked from the data
(never by hand) and links to the page where it is done. All steps are read in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from qse.models import Invitation, Membership, Organization, Process, Site


@dataclass(frozen=True)
class Step:
    key: str
    label: object
    help: object
    url_name: str


@dataclass(frozen=True)
class StepState:
    step: Step
    done: bool
    url: str


STEPS = [
    Step("sites", _("Sites and their headcounts"), _("Every site with its headcount (11 and 50 employees are thresholds)."), "qse:site_list"),
    Step("processes", _("Process map and owners"), _("Your processes, each with its owner."), "qse:process_list"),
    Step("people", _("Invite people"), _("Bring your team in: coordinators, process owners, auditors."), "qse:people"),
    Step("matrix", _("Choose a risk matrix"), _("A default matrix to assess risks with."), "risks:matrix_library"),
    Step("duerp", _("Import or build the Document unique"), _("Work units and their occupational risks."), "risks:occupationalrisk_list"),
    Step("context", _("Context and policy"), _("Internal and external issues, and a policy statement."), "context:overview"),
    Step("actions", _("First action plan"), _("A plan with at least one action."), "improvement:actionplan_list"),
]


def _live(model_label: str):
    """The organization's non-archived rows of a model, as a correlated subquery."""
    model = apps.get_model(model_label)
    return model.objects.filter(organization=OuterRef("pk"), archived_at__isnull=True)


def _conditions() -> dict:
    """One EXISTS expression per step, over the organization row (row-level security applies)."""
    sites = Site.objects.filter(organization=OuterRef("pk"), archived_at__isnull=True)
    processes = Process.objects.filter(organization=OuterRef("pk"), archived_at__isnull=True)
    return {
        "sites": Exists(sites) & ~Exists(sites.filter(headcount__isnull=True)),
        "processes": Exists(processes) & ~Exists(processes.filter(owner__isnull=True)),
        "people": Exists(Membership.objects.filter(organization=OuterRef("pk")).exclude(role="admin"))
        | Exists(Invitation.objects.filter(organization=OuterRef("pk"), revoked_at__isnull=True)),
        "matrix": Exists(_live("risks.RiskMatrix").filter(is_default=True)),
        "duerp": Exists(_live("risks.OccupationalRisk")),
        "context": Exists(_live("context.ContextIssue")) & Exists(_live("context.PolicyStatement")),
        "actions": Exists(_live("improvement.Action")),
    }


def checklist_of(organization: Organization) -> list[StepState]:
    """The steps with whether each is done: one query for all of them."""
    conditions = _conditions()
    row = Organization.objects.filter(pk=organization.pk).values(
        **{key: ExpressionWrapper(Q(condition), output_field=BooleanField()) for key, condition in conditions.items()}
    ).first() or {}
    return [StepState(step, bool(row.get(step.key)), _safe_url(step.url_name)) for step in STEPS]


def _safe_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def is_complete(states: list[StepState]) -> bool:
    return all(state.done for state in states)
