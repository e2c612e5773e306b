"""List tables of the objectives app (they also drive the CSV/XLSX exports)."""

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from objectives.choices import IndicatorStatus
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from objectives.selectors import status_of
from qse.tables import ObjectTable

# A row's link opens the record's page, not a swap inside the list's boosted table container.
PAGE_LINK = {"a": {"hx-boost": "false"}}


class PolicyAxisTable(ObjectTable):
    title = tables.Column(linkify=True, attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = PolicyAxis
        fields = ["order", "title"]
        sequence = fields


class ObjectiveTable(ObjectTable):
    title = tables.Column(linkify=True, attrs=PAGE_LINK)
    key_columns = ("title",)

    class Meta(ObjectTable.Meta):
        model = Objective
        fields = ["title", "level", "parent", "owner", "process", "site", "target", "due_on", "status"]
        sequence = fields


# The shared stylesheet's tones (lists do not load the app's stylesheet).
TONES = {IndicatorStatus.GREEN: "done", IndicatorStatus.ORANGE: "check", IndicatorStatus.RED: "late",
         IndicatorStatus.LATE: "late", IndicatorStatus.NO_DATA: "muted"}


def _number(value) -> str:
    return "—" if value is None else floatformat(value, "-2g")


class IndicatorStatusColumn(tables.Column):
    """The status a reader sees (pure function of the latest value and today): no query per row."""

    def __init__(self, **kwargs):
        super().__init__(accessor="pk", verbose_name=_("status"), orderable=False, **kwargs)

    def render(self, record):
        status = status_of(record, today=timezone.localdate())
        return format_html('<span class="tag {}">{}</span>', TONES[status], IndicatorStatus(status).label)

    def value(self, record):
        return str(IndicatorStatus(status_of(record, today=timezone.localdate())).label)


class IndicatorTable(ObjectTable):
    code = tables.Column(linkify=True, attrs=PAGE_LINK)
    name = tables.Column(linkify=True, attrs=PAGE_LINK)
    latest_value = tables.Column(verbose_name=_("latest value"), orderable=False)
    status = IndicatorStatusColumn()
    key_columns = ("code", "name")
    default_columns = ("code", "name", "unit", "target", "latest_value", "status", "owner")  # what fits 1024 px

    class Meta(ObjectTable.Meta):
        model = Indicator
        fields = ["code", "name", "unit", "frequency", "target", "latest_value", "status", "owner", "process", "site", "source"]
        sequence = fields

    def render_target(self, value):
        return _number(value)

    def render_latest_value(self, value):
        return _number(value)


class MeasurementTable(ObjectTable):
    period_on = tables.Column(linkify=True, attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = Measurement
        fields = ["period_on", "indicator", "value", "origin", "comment"]
        sequence = fields


class DashboardTable(ObjectTable):
    title = tables.Column(linkify=True, attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = Dashboard
        fields = ["title", "scope", "site", "process", "period_months"]
        sequence = fields


class DashboardTileTable(ObjectTable):
    indicator = tables.Column(linkify=lambda record: record.get_absolute_url(), attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = DashboardTile
        fields = ["order", "indicator", "size", "period_months"]
        sequence = fields


class ActionDependencyTable(ObjectTable):
    successor = tables.Column(linkify=lambda record: record.get_absolute_url(), attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = ActionDependency
        fields = ["predecessor", "successor", "lag_days"]
        sequence = fields
