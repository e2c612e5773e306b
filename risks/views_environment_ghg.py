"""The greenhouse-gas footprint: the organization's emission factors (a starter set copied
from the library, then theirs), the yearly inventories with their activity data, the
calculation (a new numbered set of results, earlier ones kept), the results by scope, BEGES
item and site, the trend year on year, the BEGES export and the reduction actions."""

from __future__ import annotations

import datetime

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from improvement.models import Action
from improvement.selectors import actions_of
from improvement.tables import ActionTable
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import register
from qse.services import ConflictError
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from risks import ghg
from risks import selectors_environment as selectors
from risks import services_environment as services
from risks.api_environment import EmissionFactorApiMixin, GhgInventoryApiMixin
from risks.environment_beges import beges_response
from risks.models import EmissionFactor, GhgActivity, GhgInventory
from risks.views_duerp import PreventionActionForm
from risks.views_environment_charts import ghg_trend_chart

# --- emission factors ----------------------------------------------------------------------


class EmissionFactorForm(ScopedModelForm):
    class Meta:
        model = EmissionFactor
        fields = ["code", "name", "activity", "unit", "value", "year", "source", "is_verified"]


class EmissionFactorFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    activity = django_filters.ChoiceFilter(choices=ghg.ActivityKind.choices, label=gettext_lazy("activity"))

    class Meta:
        model = EmissionFactor
        fields = ["q", "activity", "year", "is_verified"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(source__icontains=value))


class EmissionFactorTable(ObjectTable):
    code = tables.Column(linkify=True)
    name = tables.Column(verbose_name=gettext_lazy("name"))
    key_columns = ("code",)
    default_columns = ("code", "name", "activity", "value", "unit", "year", "is_verified")

    class Meta(ObjectTable.Meta):
        model = EmissionFactor
        fields = ["code", "name", "activity", "value", "unit", "year", "is_verified", "source"]
        sequence = fields

    def render_name(self, record):
        return record.label

    def render_value(self, value):
        return floatformat(value, "-6g")


class EmissionFactorSerializer(ScopedSerializer):
    class Meta:
        model = EmissionFactor
        fields = ["id", "url", "code", "name", "activity", "unit", "value", "year", "source", "is_verified",
                  "version", "archived_at"]
        read_only_fields = ["archived_at"]


@register
class EmissionFactorViews(ObjectViews):
    model = EmissionFactor
    url_prefix = "emission-factors"
    table = EmissionFactorTable
    form = EmissionFactorForm
    filterset = EmissionFactorFilterSet
    serializer = EmissionFactorSerializer
    api_mixins = (EmissionFactorApiMixin,)
    import_fields = ["code", "name", "activity", "unit", "value", "year", "source", "is_verified"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.emission_factor_queryset()


@login_required
@require_POST
def emission_factor_library_load(request):
    """Copy the starter factors the organization does not hold yet."""
    added = services.emission_factors_load_library(acting_user=request.user)
    messages.success(request, _("{count} emission factors added from the starter set.").format(count=added))
    return HttpResponseRedirect(reverse("risks:emissionfactor_list"))


# --- inventories ------------------------------------------------------------------------------


class GhgInventoryForm(ScopedModelForm):
    class Meta:
        model = GhgInventory
        fields = ["year", "site", "notes"]


class GhgInventoryFilterSet(ScopedFilterSet):
    class Meta:
        model = GhgInventory
        fields = ["year", "site"]


class GhgInventoryTable(ObjectTable):
    year = tables.Column(linkify=True)
    site = tables.Column(default=gettext_lazy("Whole organization"))

    class Meta(ObjectTable.Meta):
        model = GhgInventory
        fields = ["year", "site", "calculation", "calculated_at"]
        sequence = fields


class GhgInventorySerializer(ScopedSerializer):
    class Meta:
        model = GhgInventory
        fields = ["id", "url", "year", "site", "notes", "calculation", "calculated_at", "version", "archived_at"]
        read_only_fields = ["calculation", "calculated_at", "archived_at"]


@register
class GhgInventoryViews(ObjectViews):
    model = GhgInventory
    url_prefix = "ghg-inventories"
    table = GhgInventoryTable
    form = GhgInventoryForm
    filterset = GhgInventoryFilterSet
    serializer = GhgInventorySerializer
    api_mixins = (GhgInventoryApiMixin,)
    nav_block = "steer"
    nav_order = 63

    @classmethod
    def get_queryset(cls, request):
        return selectors.ghg_inventory_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"year": timezone.localdate().year - 1}

    @classmethod
    def detail_context(cls, request, obj):
        user = request.user
        trend = selectors.ghg_totals_by_year(user=user, site_id=obj.site_id)
        _lines, warnings = selectors.ghg_calculation_report(inventory=obj, factors=selectors.newest_factors(), user=user)
        return {
            "summary": selectors.ghg_summary(user=user, inventory=obj),
            "lines": selectors.ghg_lines(user=user, inventory=obj)[:200],
            "calculations": selectors.ghg_calculations(user=user, inventory=obj),
            "warnings": warnings,
            "trend": trend, "trend_chart": ghg_trend_chart(trend) if trend else "",
            "activities": selectors.ghg_activity_queryset().restrict(user, "view")
            .filter(inventory=obj, archived_at__isnull=True)[:100],
            "actions_table": ActionTable(actions_of(obj, user=user), request=request),
            "can_calculate": can(user, "change", obj),
            "can_add_action": can(user, "add", Action),
            "can_add_activity": can(user, "add", GhgActivity),
        }


@login_required
@require_POST
def ghg_inventory_calculate(request, pk):
    inventory = get_object_or_404(selectors.ghg_inventory_queryset().restrict(request.user, "view"), pk=pk)
    if not can(request.user, "change", inventory):
        raise PermissionDenied(_("You are not allowed to do this."))
    version = request.POST.get("version", "")
    try:
        inventory = services.ghg_inventory_calculate(inventory=inventory, acting_user=request.user,
                                                     expected_version=int(version) if version.isdigit() else None)
    except ConflictError:
        messages.error(request, _("This record was changed by someone else in the meantime."))
        return HttpResponseRedirect(inventory.get_absolute_url())
    messages.success(request, _("Calculation {number} done.").format(number=inventory.calculation))
    return HttpResponseRedirect(inventory.get_absolute_url())


@login_required
@require_GET
def ghg_inventory_beges(request, pk):
    inventory = get_object_or_404(selectors.ghg_inventory_queryset().restrict(request.user, "view"), pk=pk)
    return beges_response(inventory=inventory, user=request.user, organization=request.membership.organization)


@login_required
@require_http_methods(["GET", "POST"])
def ghg_inventory_action_create(request, pk):
    """A reduction action whose origin is the inventory."""
    inventory = get_object_or_404(selectors.ghg_inventory_queryset().restrict(request.user, "view"), pk=pk)
    if not can(request.user, "add", Action):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = PreventionActionForm(request.POST or None, initial={
        "due_on": timezone.localdate() + datetime.timedelta(days=180), "owner": request.user.pk,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.ghg_reduction_action_create(inventory=inventory, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(f"{inventory.get_absolute_url()}#reduction-actions")
    return render(request, "risks/risk_action_form.html", {
        "risk": inventory, "form": form, "heading": _("Create a reduction action"),
    }, status=400 if form.errors else 200)


# --- activity data ---------------------------------------------------------------------------


class GhgActivityForm(ScopedModelForm):
    class Meta:
        model = GhgActivity
        fields = ["inventory", "kind", "description", "quantity", "factor"]


class GhgActivityFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=ghg.ActivityKind.choices, label=gettext_lazy("kind"))

    class Meta:
        model = GhgActivity
        fields = ["inventory", "kind"]


class GhgActivityTable(ObjectTable):
    description = tables.Column(linkify=True)
    unit = tables.Column(accessor="factor__unit", verbose_name=gettext_lazy("unit"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = GhgActivity
        fields = ["inventory", "kind", "description", "quantity", "unit", "factor"]
        sequence = fields


class GhgActivitySerializer(ScopedSerializer):
    class Meta:
        model = GhgActivity
        fields = ["id", "url", "inventory", "kind", "description", "quantity", "factor", "version", "archived_at"]
        read_only_fields = ["archived_at"]


@register
class GhgActivityViews(ObjectViews):
    model = GhgActivity
    url_prefix = "ghg-activities"
    table = GhgActivityTable
    form = GhgActivityForm
    filterset = GhgActivityFilterSet
    serializer = GhgActivitySerializer
    import_fields = ["inventory", "kind", "description", "quantity", "factor"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.ghg_activity_queryset()


def urls() -> list:
    return [
        *EmissionFactorViews.urls(),
        path("emission-factors/library/", emission_factor_library_load, name="emissionfactor_library_load"),
        *GhgInventoryViews.urls(),
        path("ghg-inventories/<int:pk>/calculate/", ghg_inventory_calculate, name="ghginventory_calculate"),
        path("ghg-inventories/<int:pk>/beges/", ghg_inventory_beges, name="ghginventory_beges"),
        path("ghg-inventories/<int:pk>/action/", ghg_inventory_action_create, name="ghginventory_action_create"),
        *GhgActivityViews.urls(),
    ]
