import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from improvement.models import (
    ImprovementTeam,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from qse.filtersets import ScopedFilterSet


class ImprovementTeamFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = ImprovementTeam
        fields = ["q", "leader", "process", "site"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(sector__icontains=value) | Q(product__icontains=value))


class TeamMemberFilterSet(ScopedFilterSet):
    class Meta:
        model = TeamMember
        fields = ["role", "user"]


class WorkSessionFilterSet(ScopedFilterSet):
    class Meta:
        model = WorkSession
        fields = ["kind", "topic"]


class TrainingTopicFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = TrainingTopic
        fields = ["q", "domain", "required_for_everyone"]


class TrainingRecordFilterSet(ScopedFilterSet):
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Valid on"))

    class Meta:
        model = TrainingRecord
        fields = ["person", "topic", "valid_on"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=value), trained_on__lte=value)
