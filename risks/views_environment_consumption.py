"""Energy, water and other consumptions: meters per site, their readings (entered, imported
or sent by a sensor through the API), the production volume per site and month, and on a
meter's page the consumption per month against its target and per unit produced."""

from __future__ import annotations

import datetime

import django_filters
import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy

from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from risks import selectors_environment as selectors
from risks import services_environment as services
from risks.models import Meter, MeterKind, MeterReading, ProductionVolume
from risks.views_environment_charts import intensity_chart, meter_chart


class MeterForm(ScopedModelForm):
    class Meta:
        model = Meter
        fields = ["site", "name", "kind", "unit", "is_cumulative", "emission_factor", "monthly_target"]


class MeterFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))
    kind = django_filters.ChoiceFilter(choices=MeterKind.choices, label=gettext_lazy("kind"))

    class Meta:
        model = Meter
        fields = ["q", "site", "kind"]


class MeterTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Meter
        fields = ["name", "site", "kind", "unit", "is_cumulative", "emission_factor", "monthly_target"]
        sequence = fields


class MeterSerializer(ScopedSerializer):
    class Meta:
        model = Meter
        fields = ["id", "url", "site", "name", "kind", "unit", "is_cumulative", "emission_factor", "monthly_target",
                  "version", "archived_at"]
        read_only_fields = ["archived_at"]


def last_twelve_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the first day of the month eleven months back to the end of this month."""
    start = today.replace(day=1)
    for _ in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    end = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


@register
class MeterViews(ObjectViews):
    model = Meter
    url_prefix = "meters"
    table = MeterTable
    form = MeterForm
    filterset = MeterFilterSet
    serializer = MeterSerializer
    nav_block = "steer"
    nav_order = 62

    @classmethod
    def get_queryset(cls, request):
        return selectors.meter_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        start, end = last_twelve_months(timezone.localdate())
        series = selectors.meter_series(user=request.user, meter=obj, start=start, end=end)
        production_unit = selectors.production_unit(user=request.user, site_id=obj.site_id)
        intensity_unit = f"{obj.unit}/{production_unit}" if production_unit else obj.unit
        return {
            "series": series, "intensity_unit": intensity_unit,
            "consumption_chart": meter_chart(series, obj.get_unit_display()),
            "intensity_chart": intensity_chart(series, intensity_unit) if any(r["intensity"] for r in series) else "",
            "can_add_reading": can(request.user, "add", MeterReading),
        }


# --- readings ------------------------------------------------------------------------------


class MeterReadingForm(ScopedModelForm):
    class Meta:
        model = MeterReading
        fields = ["meter", "read_on", "period_start_on", "value", "source"]


class MeterReadingFilterSet(ScopedFilterSet):
    read_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("date"), widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))

    class Meta:
        model = MeterReading
        fields = ["meter", "read_on", "source"]


class MeterReadingTable(ObjectTable):
    read_on = tables.DateColumn(short=True, linkify=True)

    class Meta(ObjectTable.Meta):
        model = MeterReading
        fields = ["read_on", "meter", "value", "source"]
        sequence = fields


class MeterReadingSerializer(ScopedSerializer):
    class Meta:
        model = MeterReading
        fields = ["id", "url", "meter", "read_on", "period_start_on", "value", "source", "version", "archived_at"]
        read_only_fields = ["archived_at"]


@register
class MeterReadingViews(ObjectViews):
    model = MeterReading
    url_prefix = "meter-readings"
    table = MeterReadingTable
    form = MeterReadingForm
    filterset = MeterReadingFilterSet
    serializer = MeterReadingSerializer
    import_fields = ["meter", "read_on", "period_start_on", "value", "source"]
    per_page = 50

    @classmethod
    def get_queryset(cls, request):
        return selectors.meter_reading_queryset()

    @classmethod
    def initial_for(cls, request):
        # ``?meter=<pk>`` (the meter page's button) is given to the form by the generic view.
        return {"read_on": timezone.localdate()}


# --- production volumes ----------------------------------------------------------------------


class ProductionVolumeForm(ScopedModelForm):
    class Meta:
        model = ProductionVolume
        fields = ["site", "month", "quantity", "unit"]


class ProductionVolumeFilterSet(ScopedFilterSet):
    class Meta:
        model = ProductionVolume
        fields = ["site"]


class ProductionVolumeTable(ObjectTable):
    month = tables.DateColumn(format="m/Y", linkify=True)

    class Meta(ObjectTable.Meta):
        model = ProductionVolume
        fields = ["month", "site", "quantity", "unit"]
        sequence = fields


class ProductionVolumeSerializer(ScopedSerializer):
    class Meta:
        model = ProductionVolume
        fields = ["id", "url", "site", "month", "quantity", "unit", "version", "archived_at"]
        read_only_fields = ["archived_at"]


@register
class ProductionVolumeViews(ObjectViews):
    model = ProductionVolume
    url_prefix = "production-volumes"
    table = ProductionVolumeTable
    form = ProductionVolumeForm
    filterset = ProductionVolumeFilterSet
    serializer = ProductionVolumeSerializer
    import_fields = ["site", "month", "quantity", "unit"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.production_volume_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services.production_volume_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.production_volume_update(volume=instance, acting_user=request.user, data=data,
                                                 expected_version=expected_version)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services.production_volumes_import(volumes=instances, acting_user=acting_user)


def urls() -> list:
    return [*MeterViews.urls(), *MeterReadingViews.urls(), *ProductionVolumeViews.urls()]
