"""Environmental performance, the waste side: the waste register (entry, import of a
carrier's or Trackdéchets export, checks), the extracts handed to an inspector (XLSX and
PDF per site and period) and the environmental performance page. Writes go through
``risks.services_environment``; reads through ``risks.selectors_environment``."""

from __future__ import annotations

import datetime

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import add_nav, register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from risks import environment_library as library
from risks import selectors_environment as selectors
from risks import services_environment as services
from risks.environment_export import waste_register_response
from risks.models import GhgInventory, Meter, WasteRegisterExtract, WasteRemoval, WasteUnit

# --- the waste register ------------------------------------------------------------------------


class CodeChoiceField(forms.ChoiceField):
    """A choice typed as the list writes it ("15 01 01*", "R 13") as well as stored."""

    def __init__(self, *args, normalize, **kwargs):
        super().__init__(*args, **kwargs)
        self.normalize = normalize

    def to_python(self, value):
        return self.normalize(super().to_python(value))


class WasteRemovalForm(ScopedModelForm):
    waste_code = CodeChoiceField(normalize=library.normalize_code,label=gettext_lazy("waste code"), choices=library.waste_code_choices,
                                   help_text=gettext_lazy("European list of wastes; * marks a hazardous waste"))
    treatment_code = CodeChoiceField(normalize=library.normalize_treatment, label=gettext_lazy("treatment operation"),
                                     choices=library.treatment_choices,
                                       help_text=gettext_lazy("R1-R13 recovery, D1-D15 disposal"))

    class Meta:
        model = WasteRemoval
        fields = [
            "site", "removed_on", "waste_code", "description", "is_pop", "quantity", "unit", "density", "treatment_code",
            "carrier_name", "carrier_siren", "carrier_receipt", "destination_name", "destination_address",
            "destination_siret", "tracking_number",
        ]


class WasteRemovalFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    removed_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("date of removal"), widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))
    is_hazardous = django_filters.BooleanFilter(label=gettext_lazy("hazardous"))
    is_flagged = django_filters.BooleanFilter(method="flagged", label=gettext_lazy("to check"))

    class Meta:
        model = WasteRemoval
        fields = ["q", "site", "removed_on", "is_hazardous", "is_flagged"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        code = library.normalize_code(value)
        return queryset.filter(Q(description__icontains=value) | Q(waste_code__startswith=code)
                               | Q(carrier_name__icontains=value) | Q(tracking_number__icontains=value))

    def flagged(self, queryset, name, value):
        return queryset.filter(selectors.flagged_q()) if value else queryset.exclude(selectors.flagged_q())


def flag_tags(removal: WasteRemoval) -> str:
    flags = selectors.waste_flags(removal)
    if not flags:
        return format_html('<span class="tag muted">{}</span>', gettext_lazy("OK"))
    return format_html_join(" ", '<span class="tag late">{}</span>', ((flag,) for flag in flags))


class WasteRemovalTable(ObjectTable):
    removed_on = tables.DateColumn(short=True, linkify=True)
    waste_code = tables.Column(verbose_name=gettext_lazy("waste code"))
    quantity = tables.Column(verbose_name=gettext_lazy("quantity"))
    checks = tables.Column(empty_values=(), orderable=False, verbose_name=gettext_lazy("checks"))
    key_columns = ("removed_on", "waste_code")
    default_columns = ("removed_on", "site", "waste_code", "description", "quantity", "treatment_code", "checks")

    class Meta(ObjectTable.Meta):
        model = WasteRemoval
        fields = ["removed_on", "site", "waste_code", "description", "quantity", "treatment_code", "carrier_name",
                  "carrier_receipt", "destination_name", "tracking_number", "checks"]
        sequence = fields

    def render_waste_code(self, record):
        code = library.display_code(record.waste_code)
        if record.is_hazardous:
            return format_html('{} <span class="tag late">{}</span>', code, gettext_lazy("hazardous"))
        return code

    def value_waste_code(self, record):
        return library.display_code(record.waste_code)

    def render_quantity(self, record):
        quantity = f"{floatformat(record.quantity, '-3g')} {record.unit}"
        if record.unit != WasteUnit.CUBIC_METRE:
            return quantity
        if record.converted_density is None:  # a volume the figures cannot weigh
            return format_html('{} <span class="tag late" data-testid="not-converted">{}</span>', quantity,
                               gettext_lazy("no density: not in tonnes"))
        return format_html('{} <span class="tag muted" data-testid="converted" title="{}">≈ {} t</span>', quantity,
                           gettext_lazy("Converted at {density} t/m³").format(density=floatformat(record.converted_density, "-3g")),
                           floatformat(record.tonnes, "-3g"))

    def value_quantity(self, record):
        return record.quantity

    def render_checks(self, record):
        return flag_tags(record)

    def value_checks(self, record):
        return " ; ".join(selectors.waste_flags(record))


class WasteRemovalSerializer(ScopedSerializer):
    class Meta:
        model = WasteRemoval
        fields = [
            "id", "url", "site", "removed_on", "waste_code", "description", "is_hazardous", "is_pop", "quantity",
            "unit", "density", "tonnes", "converted_density", "treatment_code", "carrier_name", "carrier_siren",
            "carrier_receipt", "destination_name", "destination_address", "destination_siret", "tracking_number",
            "version", "archived_at",
        ]
        read_only_fields = ["is_hazardous", "tonnes", "converted_density", "archived_at"]


# The columns of a carrier's or a Trackdéchets outgoing register export map onto these
# (headers are matched by field name or label, in French or English; codes like "15 01 01*"
# and "R 13" are read as the list writes them).
WASTE_IMPORT_FIELDS = [
    "site", "removed_on", "waste_code", "description", "is_pop", "quantity", "unit", "density", "treatment_code",
    "carrier_name", "carrier_siren", "carrier_receipt", "destination_name", "destination_address",
    "destination_siret", "tracking_number",
]


@register
class WasteRemovalViews(ObjectViews):
    model = WasteRemoval
    url_prefix = "waste-register"
    table = WasteRemovalTable
    form = WasteRemovalForm
    filterset = WasteRemovalFilterSet
    serializer = WasteRemovalSerializer
    import_fields = WASTE_IMPORT_FIELDS
    nav_block = "steer"
    nav_order = 61
    per_page = 50

    @classmethod
    def get_queryset(cls, request):
        return selectors.waste_removal_queryset()

    @classmethod
    def detail_fields(cls, obj, hidden=frozenset()):
        rows = super().detail_fields(obj, hidden)
        code_label = WasteRemoval._meta.get_field("waste_code").verbose_name
        treatment_label = WasteRemoval._meta.get_field("treatment_code").verbose_name
        line = selectors.waste_register_line(obj)
        shown = {code_label: f"{line['code']} {line['label']}", treatment_label: f"{obj.treatment_code} {line['treatment']}"}
        return [(label, shown.get(label, value)) for label, value in rows]

    @classmethod
    def detail_context(cls, request, obj):
        return {"flags": selectors.waste_flags(obj)}

    @classmethod
    def create(cls, request, data: dict):
        return services.waste_removal_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.waste_removal_update(removal=instance, acting_user=request.user, data=data,
                                             expected_version=expected_version)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services.waste_removals_import(removals=instances, acting_user=acting_user)


# --- extracts for an inspector -----------------------------------------------------------------


class WasteRegisterExtractForm(ScopedModelForm):
    class Meta:
        model = WasteRegisterExtract
        fields = ["site", "start_on", "end_on", "purpose"]


class WasteRegisterExtractTable(ObjectTable):
    site = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = WasteRegisterExtract
        fields = ["site", "start_on", "end_on", "purpose", "created_at"]
        sequence = fields


class WasteRegisterExtractSerializer(ScopedSerializer):
    class Meta:
        model = WasteRegisterExtract
        fields = ["id", "url", "site", "start_on", "end_on", "purpose", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class WasteRegisterExtractFilterSet(ScopedFilterSet):
    class Meta:
        model = WasteRegisterExtract
        fields = ["site"]


@register
class WasteRegisterExtractViews(ObjectViews):
    model = WasteRegisterExtract
    url_prefix = "waste-register-extracts"
    table = WasteRegisterExtractTable
    form = WasteRegisterExtractForm
    filterset = WasteRegisterExtractFilterSet
    serializer = WasteRegisterExtractSerializer

    @classmethod
    def get_queryset(cls, request):
        return selectors.waste_register_extract_queryset()

    @classmethod
    def initial_for(cls, request):
        today = timezone.localdate()
        return {"start_on": datetime.date(today.year - 1, 1, 1), "end_on": today}

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "totals": selectors.waste_totals(user=request.user, start=obj.start_on, end=obj.end_on, site=obj.site),
            "by_code": selectors.waste_tonnes_by_code(user=request.user, start=obj.start_on, end=obj.end_on,
                                                      site=obj.site)[:15],
        }


@login_required
@require_GET
def waste_register_xlsx(request, pk):
    """The extract's register as an inspector reads it (XLSX, built in write-only mode)."""
    extract = get_object_or_404(selectors.waste_register_extract_queryset().restrict(request.user, "view"), pk=pk)
    return waste_register_response(extract=extract, user=request.user, organization=request.membership.organization)


# --- the environmental performance page -----------------------------------------------------------


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=1990, max_value=2100, required=False)


def _year(request) -> int:
    form = YearForm(request.GET)
    return (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year


@login_required
def environment_dashboard(request):
    """The year's waste figures per site and month, the tonnes per code, the consumption of
    the meters and the greenhouse-gas trend: each an SQL aggregate."""
    if not can(request.user, "view", WasteRemoval):
        raise PermissionDenied(_("You are not allowed to do this."))
    from risks.views_environment_charts import ghg_trend_chart

    year = _year(request)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    trend = selectors.ghg_totals_by_year(user=request.user)
    return render(request, "risks/environment/dashboard.html", {
        "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "totals": selectors.waste_totals(user=request.user, start=start, end=end),
        "monthly": selectors.waste_monthly_figures(user=request.user, start=start, end=end),
        "by_code": selectors.waste_tonnes_by_code(user=request.user, start=start, end=end)[:10],
        "meters": selectors.meter_year_totals(user=request.user, start=start, end=end),
        "trend": trend, "trend_chart": ghg_trend_chart(trend) if trend else "",
        "can_view_meters": can(request.user, "view", Meter),
        "can_view_ghg": can(request.user, "view", GhgInventory),
    })


add_nav("steer", gettext_lazy("Environmental performance"), "risks:environment_dashboard", model=WasteRemoval,
        order=60)


def urls() -> list:
    return [
        *WasteRemovalViews.urls(),
        *WasteRegisterExtractViews.urls(),
        path("waste-register-extracts/<int:pk>/xlsx/", waste_register_xlsx, name="wasteregisterextract_xlsx"),
        path("environment/", environment_dashboard, name="environment_dashboard"),
    ]
