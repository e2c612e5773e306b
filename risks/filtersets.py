import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qse.filtersets import ScopedFilterSet
from risks.choices import Domain, RiskKind, RiskStatus, Treatment
from risks.models import Risk, RiskMatrix

LEVELS = (
    ("low", _("Low")),
    ("medium", _("Medium")),
    ("high", _("High")),
    ("critical", _("Critical")),
)


class RiskFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    domain = django_filters.ChoiceFilter(choices=Domain.choices, method="filter_domain", label=_("Domain"))
    kind = django_filters.ChoiceFilter(choices=RiskKind.choices, label=_("kind"))
    level = django_filters.ChoiceFilter(field_name="inherent_level", choices=LEVELS, label=_("inherent level"))
    residual_level = django_filters.ChoiceFilter(choices=LEVELS, label=_("residual level"))
    treatment = django_filters.ChoiceFilter(choices=Treatment.choices, label=_("treatment"))
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, label=_("status"))

    class Meta:
        model = Risk
        fields = ["q", "kind", "domain", "process", "site", "level", "residual_level", "treatment", "owner", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value) | Q(cause__icontains=value))

    def filter_domain(self, queryset, name, value):
        return queryset.filter(domains__contains=[value])


class RiskMatrixFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = RiskMatrix
        fields = ["q", "is_default"]
