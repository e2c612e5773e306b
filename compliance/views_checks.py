"""Periodic regulatory checks: declarations on the generic views (check types, checks,
reports, observations), the dashboard of what is overdue or open, the action that lifts an
observation and loading the starter library of check types."""

from __future__ import annotations

import datetime

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from compliance import library_checks, selectors_checks, services_checks
from compliance.api_checks import CheckObservationApiMixin, CheckReportApiMixin, CheckTypeApiMixin
from compliance.choices import CheckCategory, CheckConclusion, ObservationSeverity
from compliance.models import CheckObservation, CheckReport, CheckType, PeriodicCheck
from compliance.scheduling import due_state
from improvement.models import Action
from improvement.selectors import actions_of
from improvement.tables import ActionTable
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm, UserChoiceField, members_queryset
from qse.permissions import can
from qse.registry import add_nav, add_process_section, register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews

# --- forms --------------------------------------------------------------------------------

CHECK_FIELDS = [
    "equipment", "reference", "site", "check_type", "frequency_months", "body", "body_is_accredited", "owner",
    "process", "risks", "occupational_risks", "next_due_on",
]
CHECK_TYPE_FIELDS = ["name", "category", "frequency_months", "legal_basis", "requirement", "performer", "description"]
REPORT_FIELDS = ["periodic_check", "planned_on", "done_on", "body", "reference", "conclusion", "summary"]
OBSERVATION_FIELDS = ["report", "text", "severity"]


class CheckTypeForm(ScopedModelForm):
    class Meta:
        model = CheckType
        fields = CHECK_TYPE_FIELDS


class PeriodicCheckForm(ScopedModelForm):
    class Meta:
        model = PeriodicCheck
        fields = CHECK_FIELDS
        widgets = {"risks": forms.SelectMultiple(attrs={"size": 4}),
                   "occupational_risks": forms.SelectMultiple(attrs={"size": 4})}


class CheckReportForm(ScopedModelForm):
    class Meta:
        model = CheckReport
        fields = REPORT_FIELDS


class CheckObservationForm(ScopedModelForm):
    class Meta:
        model = CheckObservation
        fields = OBSERVATION_FIELDS


class ObservationActionForm(forms.Form):
    """The few fields of the action that lifts an observation (site and process come from the check)."""

    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    deliverable = forms.CharField(label=gettext_lazy("deliverable"), max_length=255, required=False)
    owner = UserChoiceField(queryset=None, label=gettext_lazy("owner"))
    due_on = forms.DateField(label=gettext_lazy("due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()


# --- filters ------------------------------------------------------------------------------

DUE_CHOICES = [("overdue", gettext_lazy("Overdue")), ("due_soon", gettext_lazy("Due within 30 days")),
               ("unknown", gettext_lazy("No due date"))]


class CheckTypeFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))
    category = django_filters.ChoiceFilter(choices=CheckCategory.choices, label=gettext_lazy("category"))

    class Meta:
        model = CheckType
        fields = ["q", "category"]


class PeriodicCheckFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    category = django_filters.ChoiceFilter(
        field_name="check_type__category", choices=CheckCategory.choices, label=gettext_lazy("category")
    )
    due = django_filters.ChoiceFilter(method="filter_due", choices=DUE_CHOICES, label=gettext_lazy("due"))

    class Meta:
        model = PeriodicCheck
        fields = ["q", "site", "category", "check_type", "process", "due"]

    def search(self, queryset, name, value):
        return queryset.filter(equipment__icontains=value) | queryset.filter(reference__icontains=value)

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(next_due_on__lt=today)
        if value == "due_soon":
            return queryset.filter(next_due_on__gte=today, next_due_on__lte=today + datetime.timedelta(days=30))
        return queryset.filter(next_due_on__isnull=True)


class CheckReportFilterSet(ScopedFilterSet):
    conclusion = django_filters.ChoiceFilter(choices=CheckConclusion.choices, label=gettext_lazy("conclusion"))

    class Meta:
        model = CheckReport
        fields = ["periodic_check", "conclusion"]


class CheckObservationFilterSet(ScopedFilterSet):
    # By equipment rather than by report: a report's name reads its check (a query per choice).
    periodic_check = django_filters.ModelChoiceFilter(
        field_name="report__periodic_check", queryset=PeriodicCheck.objects.all(), label=gettext_lazy("periodic check")
    )
    severity = django_filters.ChoiceFilter(choices=ObservationSeverity.choices, label=gettext_lazy("severity"))
    open = django_filters.BooleanFilter(field_name="lifted_on", lookup_expr="isnull", label=gettext_lazy("open"))

    class Meta:
        model = CheckObservation
        fields = ["periodic_check", "severity", "open"]


# --- tables -------------------------------------------------------------------------------


class CheckTypeTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = CheckType
        fields = ["name", "category", "frequency_months", "performer"]
        sequence = fields


class PeriodicCheckTable(ObjectTable):
    equipment = tables.Column(linkify=True)
    key_columns = ("equipment", "next_due_on")
    default_columns = ("equipment", "site", "check_type", "body", "next_due_on")

    class Meta(ObjectTable.Meta):
        model = PeriodicCheck
        fields = ["equipment", "reference", "site", "check_type", "body", "owner", "last_done_on", "next_due_on"]
        sequence = fields

    def render_next_due_on(self, value, record):
        state = due_state(due_on=value, today=timezone.localdate())
        label = {"overdue": _("Overdue"), "due_soon": _("Due soon")}.get(state)
        text = date_format(value, "SHORT_DATE_FORMAT")
        return format_html('{} <span class="tag {}">{}</span>', text, "late" if state == "overdue" else "check", label) \
            if label else text


class CheckReportTable(ObjectTable):
    periodic_check = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=gettext_lazy("periodic check"))

    class Meta(ObjectTable.Meta):
        model = CheckReport
        fields = ["periodic_check", "planned_on", "done_on", "body", "reference", "conclusion"]
        sequence = fields


class CheckObservationTable(ObjectTable):
    text = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = CheckObservation
        fields = ["text", "severity", "report", "lifted_on"]
        sequence = fields


# --- serializers --------------------------------------------------------------------------

READ_ONLY = ["archived_at"]


class CheckTypeSerializer(ScopedSerializer):
    class Meta:
        model = CheckType
        fields = ["id", "url", "code", *CHECK_TYPE_FIELDS, "version", "archived_at"]
        read_only_fields = ["code", *READ_ONLY]


class PeriodicCheckSerializer(ScopedSerializer):
    class Meta:
        model = PeriodicCheck
        fields = ["id", "url", *CHECK_FIELDS, "last_done_on", "version", "archived_at"]
        read_only_fields = ["last_done_on", *READ_ONLY]


class CheckReportSerializer(ScopedSerializer):
    class Meta:
        model = CheckReport
        fields = ["id", "url", *REPORT_FIELDS, "version", "archived_at"]
        read_only_fields = READ_ONLY


class CheckObservationSerializer(ScopedSerializer):
    class Meta:
        model = CheckObservation
        fields = ["id", "url", *OBSERVATION_FIELDS, "lifted_on", "version", "archived_at"]
        read_only_fields = ["lifted_on", *READ_ONLY]


# --- declarations -------------------------------------------------------------------------


@register
class CheckTypeViews(ObjectViews):
    model = CheckType
    url_prefix = "check-types"
    table = CheckTypeTable
    form = CheckTypeForm
    filterset = CheckTypeFilterSet
    serializer = CheckTypeSerializer
    api_mixins = (CheckTypeApiMixin,)

    @classmethod
    def get_queryset(cls, request):
        return selectors_checks.check_type_queryset()


@register
class PeriodicCheckViews(ObjectViews):
    model = PeriodicCheck
    url_prefix = "periodic-checks"
    table = PeriodicCheckTable
    form = PeriodicCheckForm
    filterset = PeriodicCheckFilterSet
    serializer = PeriodicCheckSerializer
    nav_block = "analyse"
    nav_order = 61

    @classmethod
    def get_queryset(cls, request):
        return selectors_checks.periodic_check_queryset()

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_checks.periodic_check_update(
            periodic_check=instance, acting_user=request.user, data=data, expected_version=expected_version
        )

    @classmethod
    def detail_context(cls, request, obj):
        reports = selectors_checks.check_report_queryset().restrict(request.user, "view").filter(
            periodic_check=obj, archived_at__isnull=True)
        return {
            "reports_table": CheckReportTable(reports, request=request, exclude=("periodic_check",)),
            "due_state": due_state(due_on=obj.next_due_on, today=timezone.localdate()),
            "can_add_report": can(request.user, "add", CheckReport),
        }


@register
class CheckReportViews(ObjectViews):
    model = CheckReport
    url_prefix = "check-reports"
    table = CheckReportTable
    form = CheckReportForm
    filterset = CheckReportFilterSet
    serializer = CheckReportSerializer
    api_mixins = (CheckReportApiMixin,)

    @classmethod
    def get_queryset(cls, request):
        return selectors_checks.check_report_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services_checks.check_report_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_checks.check_report_update(
            report=instance, acting_user=request.user, data=data, expected_version=expected_version
        )

    @classmethod
    def archive(cls, request, instance, reason: str = ""):
        return services_checks.check_report_archive(report=instance, acting_user=request.user, reason=reason)

    @classmethod
    def detail_context(cls, request, obj):
        observations = selectors_checks.observation_queryset().restrict(request.user, "view").filter(
            report=obj, archived_at__isnull=True)
        return {
            "observations_table": CheckObservationTable(observations, request=request, exclude=("report",)),
            "can_add_observation": can(request.user, "add", CheckObservation),
        }


@register
class CheckObservationViews(ObjectViews):
    model = CheckObservation
    url_prefix = "check-observations"
    table = CheckObservationTable
    form = CheckObservationForm
    filterset = CheckObservationFilterSet
    serializer = CheckObservationSerializer
    api_mixins = (CheckObservationApiMixin,)

    @classmethod
    def get_queryset(cls, request):
        return selectors_checks.observation_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "actions_table": ActionTable(actions_of(obj, user=request.user), request=request),
            "can_add_action": can(request.user, "add", Action) and not obj.archived_at,
        }


add_nav("analyse", gettext_lazy("Periodic checks dashboard"), "compliance:checks_dashboard", model=PeriodicCheck,
        order=60)
add_process_section(
    gettext_lazy("Periodic checks"), model=PeriodicCheck, table=PeriodicCheckTable,
    rows=lambda user, process: selectors_checks.periodic_check_queryset().restrict(user, "view").filter(
        process=process, archived_at__isnull=True),
    list_url_name="compliance:periodiccheck_list", order=70,
)


# --- pages beyond the declarations ----------------------------------------------------------


@login_required
def checks_dashboard(request):
    """Overdue and due-soon checks, open observations and whether an action lifts them."""
    if request.membership is None or not can(request.user, "view", PeriodicCheck):
        raise PermissionDenied(_("You are not allowed to do this."))
    today = timezone.localdate()
    return render(request, "compliance/checks_dashboard.html", {
        "dashboard": selectors_checks.checks_dashboard(user=request.user, today=today),
        "today": today,
        "can_load_library": can(request.user, "add", CheckType),
        "can_add_action": can(request.user, "add", Action),
    })


@login_required
@require_http_methods(["GET", "POST"])
def observation_action_create(request, pk):
    """Create the action whose origin is this observation (the one Action model)."""
    observation = get_object_or_404(
        selectors_checks.observation_queryset().restrict(request.user, "view").filter(archived_at__isnull=True), pk=pk)
    if not can(request.user, "add", Action):
        raise PermissionDenied(_("You are not allowed to do this."))
    periodic_check = observation.report.periodic_check
    form = ObservationActionForm(request.POST or None, initial={
        "title": observation.text[:200], "owner": periodic_check.owner_id,
        "due_on": timezone.localdate() + datetime.timedelta(days=30),
    })
    if request.method == "POST" and form.is_valid():
        try:
            services_checks.observation_action_create(observation=observation, acting_user=request.user,
                                                      data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(f"{observation.get_absolute_url()}#actions")
    # The form of an action created from a record, as for a risk: its record and a heading.
    return render(request, "risks/risk_action_form.html", {
        "risk": observation, "form": form, "heading": _("Create the action that lifts this observation"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def check_types_load(request):
    """Add the starter library's check types (in the user's language) to the organization."""
    added = services_checks.check_types_load(
        acting_user=request.user, entries=library_checks.check_type_entries(), language=request.LANGUAGE_CODE)
    messages.success(request, _("{count} check types added from the library.").format(count=added))
    return HttpResponseRedirect(reverse("compliance:checktype_list"))


def urls() -> list:
    return [
        path("checks/", checks_dashboard, name="checks_dashboard"),
        path("check-types/load-library/", check_types_load, name="checktype_load_library"),
        path("check-observations/<int:pk>/action/", observation_action_create, name="checkobservation_action_create"),
        *CheckTypeViews.urls(),
        *PeriodicCheckViews.urls(),
        *CheckReportViews.urls(),
        *CheckObservationViews.urls(),
    ]
