"""Sensor devices: declared on the generic views (list, page, form, archive, export, import,
API), with the device page's figures and charts from the roll-ups and its token actions."""

from __future__ import annotations

import datetime

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from objectives import selectors_sensors, sensors_charts, sensors_services
from objectives.api_sensors import DeviceApiMixin, ReadingBatchView, device_or_404
from objectives.models import Device
from objectives.sensors_choices import DeviceKind, Grain
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import register, register_api_path
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews

WINDOWS = [
    selectors_sensors.Window(gettext_lazy("today"), 1),
    selectors_sensors.Window(gettext_lazy("last 7 days"), 7),
    selectors_sensors.Window(gettext_lazy("last 30 days"), 30),
    selectors_sensors.Window(gettext_lazy("last 365 days"), 365),
]
FIELDS = ["name", "code", "kind", "unit", "valid_min", "valid_max", "limit_low", "limit_high", "site", "location"]


class DeviceForm(ScopedModelForm):
    class Meta:
        model = Device
        fields = FIELDS


class DeviceFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=DeviceKind.choices, label=gettext_lazy("kind"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))

    class Meta:
        model = Device
        fields = ["kind", "site"]


class DeviceTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Device
        fields = ["code", "name", "kind", "unit", "site", "location"]
        sequence = ["code", "name", "kind", "unit", "site", "location"]


class DeviceSerializer(ScopedSerializer):
    class Meta:
        model = Device
        fields = ["id", "url", *FIELDS, "token_prefix", "token_created_at", "token_revoked_at", "version", "archived_at"]
        read_only_fields = ["archived_at", "token_prefix", "token_created_at", "token_revoked_at"]


@register
class DeviceViews(ObjectViews):
    model = Device
    url_prefix = "devices"
    table = DeviceTable
    form = DeviceForm
    filterset = DeviceFilterSet
    serializer = DeviceSerializer
    api_mixins = (DeviceApiMixin,)
    import_fields = ["name", "code", "kind", "unit", "valid_min", "valid_max", "limit_low", "limit_high", "location"]
    nav_block = "steer"
    nav_order = 60
    detail_exclude = (*ObjectViews.detail_exclude, "token_prefix", "token_digest", "token_created_at", "token_revoked_at")

    @classmethod
    def get_queryset(cls, request):
        return Device.objects.select_related("site")

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return sensors_services.device_update(device=instance, acting_user=request.user, data=data,
                                              expected_version=expected_version)

    @classmethod
    def detail_context(cls, request, obj):
        return device_page_context(request, obj)


def device_page_context(request, device: Device) -> dict:
    """Latest value, out-of-range counts per window, a week of hours and a year of days."""
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    hours = selectors_sensors.device_series(device_id=device.pk, start=today - datetime.timedelta(days=6), end=tomorrow,
                                            grain=Grain.HOUR)
    days = selectors_sensors.device_series(device_id=device.pk, start=today - datetime.timedelta(days=364), end=tomorrow,
                                           grain=Grain.DAY)
    return {
        "latest": selectors_sensors.device_latest(device_id=device.pk),
        "windows": selectors_sensors.device_windows(device_id=device.pk, today=today, windows=WINDOWS),
        "hourly_chart": sensors_charts.series_figure(device, hours, title=_("Last 7 days, hourly")) if hours else None,
        "daily_chart": sensors_charts.series_figure(device, days, title=_("Last 365 days, daily")) if days else None,
        "can_manage_token": can(request.user, "change", device) and not device.is_archived,
        "new_key": getattr(request, "sensor_new_key", None),
    }


@login_required
@require_POST
def device_token(request, pk: int):
    """Issue a new token and show it once, on the device's page (never stored in clear)."""
    from qse.views.generic import ObjectDetailView

    device = device_or_404(request, pk)
    if not can(request.user, "change", device):
        raise PermissionDenied(_("You are not allowed to do this."))
    _device, request.sensor_new_key = sensors_services.device_token_issue(device=device, acting_user=request.user)
    view = ObjectDetailView(d=DeviceViews)
    view.setup(request, pk=pk)
    return view.get(request, pk=pk)  # the page itself, answering the POST: the key is never stored


@login_required
@require_POST
def device_token_revoke(request, pk: int):
    device = device_or_404(request, pk)
    if not can(request.user, "change", device):
        raise PermissionDenied(_("You are not allowed to do this."))
    sensors_services.device_token_revoke(device=device, acting_user=request.user)
    messages.success(request, _("The sensor's token is revoked: its readings are refused from now on."))
    return HttpResponseRedirect(device.get_absolute_url())


register_api_path("objectives/readings/", ReadingBatchView.as_view(), "objectives-readings")
