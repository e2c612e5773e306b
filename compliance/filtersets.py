import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compliance.choices import (
    ApplicabilityStatus,
    ComplianceStatus,
    Domain,
    IcpeRegime,
    InterlocutorKind,
    ItemStatus,
    SourceKind,
    TextKind,
    TextStatus,
)
from compliance.models import (
    Applicability,
    Evaluation,
    IcpeClassification,
    Interlocutor,
    Requirement,
    SiteProfile,
    Source,
    Text,
    TextVersion,
    WatchItem,
)
from qse.filtersets import ScopedFilterSet


class TextFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=TextKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=TextStatus.choices, label=_("status"))
    domain = django_filters.ChoiceFilter(choices=Domain.choices, method="by_domain", label=_("domain"))
    theme = django_filters.CharFilter(method="by_theme", label=_("theme"))

    class Meta:
        model = Text
        fields = ["q", "kind", "status", "domain", "theme"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value) | Q(nor__iexact=value)
                               | Q(celex__iexact=value))

    def by_domain(self, queryset, name, value):
        return queryset.filter(domains__contains=[value])

    def by_theme(self, queryset, name, value):
        return queryset.filter(themes__contains=[value])


class TextVersionFilterSet(ScopedFilterSet):
    class Meta:
        model = TextVersion
        fields = ["text"]


class RequirementFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    domain = django_filters.ChoiceFilter(choices=Domain.choices, method="by_domain", label=_("domain"))

    class Meta:
        model = Requirement
        fields = ["q", "text", "domain", "needs_reevaluation", "is_normative"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(article__icontains=value) | Q(description__icontains=value))

    def by_domain(self, queryset, name, value):
        return queryset.filter(domains__contains=[value])


class SiteProfileFilterSet(ScopedFilterSet):
    class Meta:
        model = SiteProfile
        fields = ["site"]


class IcpeClassificationFilterSet(ScopedFilterSet):
    regime = django_filters.ChoiceFilter(choices=IcpeRegime.choices, label=_("regime"))

    class Meta:
        model = IcpeClassification
        fields = ["site", "regime"]


class ApplicabilityFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicabilityStatus.choices, label=_("applicability"))

    class Meta:
        model = Applicability
        fields = ["site", "status", "requirement", "process"]


class EvaluationFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=ComplianceStatus.choices, label=_("status"))

    class Meta:
        model = Evaluation
        fields = ["site", "status", "requirement", "is_current", "needs_reevaluation"]


class InterlocutorFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=InterlocutorKind.choices, label=_("kind"))

    class Meta:
        model = Interlocutor
        fields = ["kind", "site"]


class SourceFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=_("kind"))

    class Meta:
        model = Source
        fields = ["kind", "is_active"]


class WatchItemFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, label=_("status"))

    class Meta:
        model = WatchItem
        fields = ["q", "status", "source"]
