"""Filters shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from improvement.models import Action
from objectives.choices import Direction, Frequency, ObjectiveLevel, ObjectiveStatus
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from qse.filtersets import ScopedFilterSet


class PolicyAxisFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = PolicyAxis
        fields = ["q"]


class ObjectiveFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=ObjectiveLevel.choices, label=_("level"))
    status = django_filters.ChoiceFilter(choices=ObjectiveStatus.choices, label=_("status"))

    class Meta:
        model = Objective
        fields = ["q", "level", "status", "axis", "parent", "owner", "process", "site"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class IndicatorFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("frequency"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("direction"))

    class Meta:
        model = Indicator
        fields = ["q", "frequency", "direction", "owner", "process", "site", "source"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class MeasurementFilterSet(ScopedFilterSet):
    period_from = django_filters.DateFilter(field_name="period_on", lookup_expr="gte", label=_("from"))
    period_to = django_filters.DateFilter(field_name="period_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = Measurement
        fields = ["indicator", "period_from", "period_to", "origin"]


class DashboardFilterSet(ScopedFilterSet):
    class Meta:
        model = Dashboard
        fields = ["scope", "site", "process"]


class DashboardTileFilterSet(ScopedFilterSet):
    class Meta:
        model = DashboardTile
        fields = ["indicator", "size"]


class ActionDependencyFilterSet(ScopedFilterSet):
    class Meta:
        model = ActionDependency
        fields = ["predecessor", "successor"]


class WorkloadFilterSet(ScopedFilterSet):
    """The workload's filters (page and API): the actions of a site, a process, an owner."""

    class Meta:
        model = Action
        fields = ["site", "process", "owner"]
