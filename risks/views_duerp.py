"""The occupational-risk assessment (DUERP): declarations of work units and occupational
risks on the generic views, and the published versions (list, frozen page, publish, archive).

Versions have no edit view: they are immutable. Their pages are addressed by version number
(unique per organization), looked up through ``restrict()``.
"""

import datetime

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from improvement.models import Action
from improvement.selectors import actions_of
from improvement.tables import ActionTable
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm, UserChoiceField, members_queryset
from qse.import_values import register_creator, register_value_synonyms
from qse.permissions import can
from qse.registry import add_nav, register
from qse.services import object_archive, object_create
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from risks import selectors, selectors_duerp, services_duerp
from risks.api import OccupationalRiskApiMixin
from risks.duerp import hazard_choices, hazard_label, hazard_synonyms
from risks.filtersets import LEVELS
from risks.forms import DefaultMatrixForm, LevelField, RiskActionForm
from risks.models import DuerpVersion, OccupationalRisk, WorkUnit
from risks.tables import score_tag

# --- forms, filters, tables, serializers -------------------------------------------------


class WorkUnitForm(ScopedModelForm):
    class Meta:
        model = WorkUnit
        fields = ["site", "name", "description", "headcount"]


class OccupationalRiskForm(DefaultMatrixForm):
    hazard_family = forms.ChoiceField(label=gettext_lazy("hazard family"), choices=hazard_choices)

    class Meta:
        model = OccupationalRisk
        fields = [
            "work_unit", "hazard_family", "situation", "exposed_workers", "existing_measures",
            "matrix", "gravity", "probability",
        ]
        field_classes = {"gravity": LevelField, "probability": LevelField}

    def clean(self):
        """A new record is checked against its matrix here, so an import reports it row by row."""
        cleaned = super().clean()
        if cleaned.get("matrix") is not None and self.instance._state.adding:
            for name, messages in services_duerp.occupational_risk_errors(cleaned).items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return cleaned


class OccupationalRiskImportForm(OccupationalRiskForm):
    """A row of a Document unique file: the risk and its prevention plan (proposed action,
    owner, due date), which becomes an improvement action linked to the risk."""

    action_title = forms.CharField(label=gettext_lazy("proposed action"), max_length=200, required=False)
    # The base form scopes it to the organization's members.
    action_owner = UserChoiceField(queryset=get_user_model().objects.none(), label=gettext_lazy("action owner"),
                                   required=False)
    action_due_on = forms.DateField(label=gettext_lazy("action due date"), required=False)

    def clean(self):
        cleaned = super().clean()
        plan = {name: cleaned.get(name) for name in ("action_title", "action_owner", "action_due_on")}
        if any(plan.values()):
            for name in ("action_title", "action_owner", "action_due_on"):
                if not plan[name] and name not in self.errors:
                    self.add_error(name, _("A planned action needs its title, owner and due date."))
        # Read back by the import's save (a plain attribute: the risk's model has no such field).
        self.instance.planned_action = plan if all(plan.values()) else None
        return cleaned


class PreventionActionForm(RiskActionForm):
    """An action against an occupational risk: it has no owner of its own, so one is chosen."""

    owner = UserChoiceField(queryset=None, label=gettext_lazy("owner"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()


class WorkUnitFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))

    class Meta:
        model = WorkUnit
        fields = ["q", "site"]


class OccupationalRiskFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="situation", lookup_expr="icontains", label=gettext_lazy("Search"))
    hazard_family = django_filters.ChoiceFilter(choices=hazard_choices, label=gettext_lazy("hazard family"))
    level = django_filters.ChoiceFilter(choices=LEVELS, label=gettext_lazy("level"))

    class Meta:
        model = OccupationalRisk
        fields = ["q", "work_unit", "hazard_family", "level"]


class WorkUnitTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = WorkUnit
        fields = ["name", "site", "headcount"]
        sequence = fields


class OccupationalRiskTable(ObjectTable):
    work_unit = tables.Column(linkify=False)
    hazard_family = tables.Column(linkify=lambda record: record.get_absolute_url())
    score = tables.Column(verbose_name=gettext_lazy("score"))

    class Meta(ObjectTable.Meta):
        model = OccupationalRisk
        fields = ["work_unit", "hazard_family", "situation", "exposed_workers", "score"]
        sequence = fields

    def render_hazard_family(self, value):
        return hazard_label(value)

    def render_score(self, record):
        return score_tag(record.matrix, record.score)

    def value_score(self, record):
        return record.score


class WorkUnitSerializer(ScopedSerializer):
    class Meta:
        model = WorkUnit
        fields = ["id", "url", "site", "name", "description", "headcount", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class OccupationalRiskSerializer(ScopedSerializer):
    class Meta:
        model = OccupationalRisk
        fields = [
            "id", "url", "work_unit", "hazard_family", "situation", "exposed_workers", "existing_measures",
            "matrix", "gravity", "probability", "score", "level", "version", "archived_at",
        ]
        read_only_fields = ["score", "level", "archived_at"]


# --- declarations ------------------------------------------------------------------------


@register
class WorkUnitViews(ObjectViews):
    model = WorkUnit
    url_prefix = "work-units"
    table = WorkUnitTable
    form = WorkUnitForm
    filterset = WorkUnitFilterSet
    serializer = WorkUnitSerializer
    nav_block = "analyse"
    nav_order = 45

    @classmethod
    def get_queryset(cls, request):
        return selectors_duerp.work_unit_queryset()


@register
class OccupationalRiskViews(ObjectViews):
    model = OccupationalRisk
    url_prefix = "occupational-risks"
    table = OccupationalRiskTable
    form = OccupationalRiskForm
    filterset = OccupationalRiskFilterSet
    serializer = OccupationalRiskSerializer
    api_mixins = (OccupationalRiskApiMixin,)
    nav_block = "analyse"
    nav_order = 46
    detail_exclude = ObjectViews.detail_exclude + ("level",)
    # The matrix defaults to the organization's default one; hazard families by id or label.
    import_fields = [
        "work_unit", "hazard_family", "situation", "exposed_workers", "existing_measures",
        "matrix", "gravity", "probability", "action_title", "action_owner", "action_due_on",
    ]
    import_form = OccupationalRiskImportForm

    @classmethod
    def get_queryset(cls, request):
        return selectors_duerp.occupational_risk_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"matrix": selectors.matrix_default(user=request.user)}

    @classmethod
    def detail_fields(cls, obj, hidden=frozenset()):
        return [
            (label, hazard_label(value) if label == OccupationalRisk._meta.get_field("hazard_family").verbose_name else value)
            for label, value in super().detail_fields(obj, hidden)
        ]

    @classmethod
    def detail_context(cls, request, obj):
        actions = actions_of(obj, user=request.user)
        return {
            "actions_table": ActionTable(actions, request=request),
            "score_tag": score_tag(obj.matrix, obj.score),
            "can_add_action": can(request.user, "add", Action),
        }

    @classmethod
    def create(cls, request, data: dict):
        return services_duerp.occupational_risk_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_duerp.occupational_risk_update(
            risk=instance, acting_user=request.user, data=data, expected_version=expected_version
        )

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services_duerp.occupational_risks_import(risks=instances, acting_user=acting_user)
        services_duerp.planned_actions_import(risks=instances, acting_user=acting_user)


def _create_work_unit(*, text: str, acting_user, site=None):
    """A work unit the Document unique file names and the organization lacks."""
    if site is None:
        raise ValidationError(_("Create a site first: a new work unit belongs to a site."))
    return object_create(model=WorkUnit, acting_user=acting_user, data={"site": site, "name": text[:200]})


register_creator(WorkUnit, _create_work_unit, needs_site=True)
register_value_synonyms(OccupationalRisk._meta.label_lower, "hazard_family", hazard_synonyms)


add_nav("analyse", gettext_lazy("Document unique (DUERP)"), "risks:duerpversion_list", model=DuerpVersion, order=47)


# --- versions ----------------------------------------------------------------------------


@login_required
def duerp_version_list(request):
    """Every published version (archived ones too: the law asks to keep them 40 years)."""
    if not can(request.user, "view", DuerpVersion):
        raise PermissionDenied
    versions = selectors_duerp.duerp_versions(user=request.user).order_by("-number")
    return render(request, "risks/duerpversion_list.html", {
        "versions": versions,
        "is_update_due": selectors_duerp.duerp_update_due(user=request.user, today=timezone.localdate()),
        "can_publish": can(request.user, "add", DuerpVersion),
    })


# Work units a page of the Document unique shows (a group's has thousands of risks: the page
# stays the same size, the PDF holds the whole document).
DUERP_UNITS_PER_PAGE = 10


def _units_page(request, work_units: list[dict]):
    return Paginator(work_units, DUERP_UNITS_PER_PAGE).get_page(request.GET.get("page"))


@login_required
def duerp_version_detail(request, number):
    """A version as it was published: its frozen snapshot, never the current records."""
    version = get_object_or_404(selectors_duerp.duerp_versions(user=request.user), number=number)
    page = _units_page(request, selectors_duerp.duerp_snapshot_display(version.snapshot))
    work_units = page.object_list
    return render(request, "risks/duerpversion.html", {
        "version": version,
        "work_units": work_units,
        "units_page": page,
        "plan": selectors_duerp.duerp_prevention_plan(work_units),
        "can_archive": not version.is_archived and can(request.user, "archive", version),
    })


@login_required
def duerp_draft(request):
    """What the next version would contain, read live from the assessment (not frozen)."""
    if not can(request.user, "view", DuerpVersion):
        raise PermissionDenied
    snapshot = services_duerp.duerp_snapshot(today=timezone.localdate())
    page = _units_page(request, selectors_duerp.duerp_snapshot_display(snapshot))
    work_units = page.object_list
    return render(request, "risks/duerp_draft.html", {
        "work_units": work_units,
        "units_page": page,
        "scales": selectors_duerp.duerp_scales(snapshot),
        "plan": selectors_duerp.duerp_prevention_plan(work_units),
        "risk_count": snapshot["risk_count"],
        "can_publish": can(request.user, "add", DuerpVersion),
    })


@login_required
@require_http_methods(["GET", "POST"])
def occupational_risk_action_create(request, pk):
    """Create a prevention action whose origin is this occupational risk."""
    risk = get_object_or_404(selectors_duerp.occupational_risk_queryset().restrict(request.user, "view"), pk=pk)
    if not can(request.user, "add", Action):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = PreventionActionForm(request.POST or None, initial={
        "title": risk.situation[:200], "due_on": timezone.localdate() + datetime.timedelta(days=90),
    })
    if request.method == "POST" and form.is_valid():
        try:
            services_duerp.prevention_action_create(risk=risk, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(f"{risk.get_absolute_url()}#prevention-actions")
    return render(request, "risks/risk_action_form.html", {
        "risk": risk, "form": form, "heading": _("Create a prevention action"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def duerp_version_publish(request):
    try:
        version = services_duerp.duerp_publish(acting_user=request.user, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("risks:duerpversion_list"))
    messages.success(request, _("Version {number} published.").format(number=version.number))
    return HttpResponseRedirect(version.get_absolute_url())


@login_required
@require_http_methods(["POST"])
def duerp_version_archive(request, number):
    version = get_object_or_404(selectors_duerp.duerp_versions(user=request.user), number=number)
    object_archive(obj=version, acting_user=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("Version archived."))
    return HttpResponseRedirect(reverse("risks:duerpversion_list"))


def urls() -> list:
    return [
        *WorkUnitViews.urls(),
        *OccupationalRiskViews.urls(),
        path("duerp/", duerp_version_list, name="duerpversion_list"),
        path("duerp/publish/", duerp_version_publish, name="duerpversion_publish"),
        path("duerp/draft/", duerp_draft, name="duerp_draft"),
        path("occupational-risks/<int:pk>/action/", occupational_risk_action_create,
             name="occupationalrisk_action_create"),
        path("duerp/<int:number>/", duerp_version_detail, name="duerpversion_detail"),
        path("duerp/<int:number>/archive/", duerp_version_archive, name="duerpversion_archive"),
    ]
