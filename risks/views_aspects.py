"""Environmental aspects and impacts (ISO 14001 § 6.1.2): the declaration on the generic
views and API; writes go through ``risks.services_aspects`` (score and significance derived)."""

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from improvement.selectors import actions_of
from improvement.tables import ActionTable
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.registry import register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from risks import aspects, selectors_aspects, services_aspects
from risks.models import AspectCondition, EnvironmentalAspect


def _scale_field(name: str, label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, coerce=int, choices=lambda: aspects.scale_choices(aspects.significance_rule(), name),
    )


class EnvironmentalAspectForm(ScopedModelForm):
    severity = _scale_field("severity", gettext_lazy("severity"))
    frequency = _scale_field("frequency", gettext_lazy("frequency"))
    control = _scale_field("control", gettext_lazy("control"))

    class Meta:
        model = EnvironmentalAspect
        fields = [
            "site", "process", "activity", "aspect", "impact", "condition", "severity", "frequency", "control",
            "is_compliance_obligation", "compliance_reference", "owner", "last_reviewed_on",
        ]


class EnvironmentalAspectFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    condition = django_filters.ChoiceFilter(choices=AspectCondition.choices, label=gettext_lazy("condition"))
    is_significant = django_filters.BooleanFilter(label=gettext_lazy("significant"))

    class Meta:
        model = EnvironmentalAspect
        fields = ["q", "site", "process", "condition", "is_significant"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(activity__icontains=value) | Q(aspect__icontains=value) | Q(impact__icontains=value))


def significance_tag(aspect: EnvironmentalAspect) -> str:
    """The score as a tag, red when the aspect is significant."""
    if aspect.is_significant:
        return format_html('<span class="tag late">{} · {}</span>', aspect.score, gettext_lazy("Significant"))
    return format_html('<span class="tag muted">{} · {}</span>', aspect.score, gettext_lazy("Not significant"))


class EnvironmentalAspectTable(ObjectTable):
    aspect = tables.Column(linkify=True)
    is_significant = tables.Column(verbose_name=gettext_lazy("significance"))

    class Meta(ObjectTable.Meta):
        model = EnvironmentalAspect
        fields = ["site", "activity", "aspect", "impact", "condition", "is_significant", "owner"]
        sequence = fields

    def render_is_significant(self, record):
        return significance_tag(record)

    def value_is_significant(self, record):
        return f"{record.score} · {'yes' if record.is_significant else 'no'}"


class EnvironmentalAspectSerializer(ScopedSerializer):
    class Meta:
        model = EnvironmentalAspect
        fields = [
            "id", "url", "site", "process", "activity", "aspect", "impact", "condition", "severity", "frequency",
            "control", "score", "is_significant", "is_compliance_obligation", "compliance_reference", "owner",
            "last_reviewed_on", "version", "archived_at",
        ]
        read_only_fields = ["score", "is_significant", "archived_at"]


@register
class EnvironmentalAspectViews(ObjectViews):
    model = EnvironmentalAspect
    url_prefix = "environmental-aspects"
    table = EnvironmentalAspectTable
    form = EnvironmentalAspectForm
    filterset = EnvironmentalAspectFilterSet
    serializer = EnvironmentalAspectSerializer
    nav_block = "analyse"
    nav_order = 48
    # An existing Excel register of aspects: scored on the significance rule at the import.
    import_fields = [
        "site", "process", "activity", "aspect", "impact", "condition", "severity", "frequency", "control",
        "is_compliance_obligation", "compliance_reference", "owner", "last_reviewed_on",
    ]

    @classmethod
    def get_queryset(cls, request):
        return selectors_aspects.environmental_aspect_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user}

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services_aspects.environmental_aspects_import(aspects=instances, acting_user=acting_user)

    @classmethod
    def detail_context(cls, request, obj):
        actions = actions_of(obj, user=request.user)
        return {
            "actions_table": ActionTable(actions, request=request),
            "significance_tag": significance_tag(obj),
        }

    @classmethod
    def create(cls, request, data: dict):
        return services_aspects.environmental_aspect_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_aspects.environmental_aspect_update(
            aspect=instance, acting_user=request.user, data=data, expected_version=expected_version
        )
