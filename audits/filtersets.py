"""Filters shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audits.choices import AuditCategory, AuditKind, AuditStatus
from audits.models import Audit, Auditee, AuditorCompetence, AuditProgramme, ScheduleItem
from qse.filtersets import ScopedFilterSet


class AuditProgrammeFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = AuditProgramme
        fields = ["q", "year"]


class AuditFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, label=_("type"))
    category = django_filters.ChoiceFilter(choices=AuditCategory.choices, label=_("category"))
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label=_("status"))

    class Meta:
        model = Audit
        fields = ["q", "programme", "kind", "category", "status", "process", "site", "supplier", "lead_auditor"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value) | Q(scope__icontains=value))


class AuditeeFilterSet(ScopedFilterSet):
    class Meta:
        model = Auditee
        fields = ["reason"]


class ScheduleItemFilterSet(ScopedFilterSet):
    class Meta:
        model = ScheduleItem
        fields = ["activity"]


class AuditorCompetenceFilterSet(ScopedFilterSet):
    class Meta:
        model = AuditorCompetence
        fields = ["auditor"]
