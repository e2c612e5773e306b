import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from context.choices import (
    IssueEffect,
    IssueOrigin,
    PartyCategory,
    Pestel,
    PolicyKind,
    SwotQuadrant,
)
from context.models import (
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from qse.filtersets import ScopedFilterSet


class PolicyStatementFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=PolicyKind.choices, label=_("kind"))

    class Meta:
        model = PolicyStatement
        fields = ["kind"]


class ContextIssueFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    origin = django_filters.ChoiceFilter(choices=IssueOrigin.choices, label=_("origin"))
    pestel = django_filters.ChoiceFilter(choices=Pestel.choices, label=_("PESTEL dimension"))
    effect = django_filters.ChoiceFilter(choices=IssueEffect.choices, label=_("effect"))

    class Meta:
        model = ContextIssue
        fields = ["q", "origin", "pestel", "effect", "importance", "processes"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class SwotItemFilterSet(ScopedFilterSet):
    quadrant = django_filters.ChoiceFilter(choices=SwotQuadrant.choices, label=_("quadrant"))

    class Meta:
        model = SwotItem
        fields = ["quadrant", "issue"]


class InterestedPartyFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    category = django_filters.ChoiceFilter(choices=PartyCategory.choices, label=_("category"))

    class Meta:
        model = InterestedParty
        fields = ["q", "category"]


class PartyExpectationFilterSet(ScopedFilterSet):
    class Meta:
        model = PartyExpectation
        fields = ["party", "is_compliance_obligation", "processes"]
