import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonconformities.choices import EventStatus, EventType, Severity
from nonconformities.models import Event, HoursWorked, Person
from qse.filtersets import ScopedFilterSet

DATE = forms.DateInput(attrs={"type": "date"})


class EventFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    event_type = django_filters.MultipleChoiceFilter(choices=EventType.choices, label=_("type"))
    status = django_filters.MultipleChoiceFilter(choices=EventStatus.choices, label=_("status"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("severity"))
    occurred_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("Occurred from"), widget=DATE)
    occurred_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("Occurred until"), widget=DATE)

    class Meta:
        model = Event
        fields = ["q", "event_type", "status", "site", "process", "supplier", "severity", "occurred_from", "occurred_to",
                  "owner"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
            | Q(product__icontains=value) | Q(third_party__icontains=value)
        )


class PersonFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Person
        fields = ["q", "site", "is_temporary_worker"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(full_name__icontains=value) | Q(employee_number__icontains=value))


class HoursWorkedFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(
        field_name="month", lookup_expr="year", label=_("Year"), min_value=1990, max_value=2100, decimal_places=0,
    )

    class Meta:
        model = HoursWorked
        fields = ["site", "year"]
