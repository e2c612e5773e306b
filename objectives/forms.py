"""Forms of the objectives app: fields and input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from objectives.choices import ObjectiveLevel, StandardClause
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from objectives.smart import SMART_FIELDS
from objectives.sources import source_choices, source_for
from qse.forms import ScopedModelForm


def _localize_decimals(form) -> None:
    """Decimals typed the French way ("94,5") are read as such, in the form and in imports."""
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True


class PolicyAxisForm(ScopedModelForm):
    class Meta:
        model = PolicyAxis
        fields = ["title", "description", "order"]


class ObjectiveForm(ScopedModelForm):
    standards = forms.MultipleChoiceField(
        choices=StandardClause.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("standards"),
    )

    class Meta:
        model = Objective
        fields = [
            "level", "axis", "parent", "title", "description", "owner", "process", "site", "service", "target",
            "due_on", "status", "standards", "indicators", "action_plans", *SMART_FIELDS,
        ]
        widgets = {"indicators": forms.CheckboxSelectMultiple, "action_plans": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            self.fields["parent"].queryset = self.fields["parent"].queryset.filter(level=ObjectiveLevel.STRATEGIC)

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if data.get("level") == ObjectiveLevel.OPERATIONAL and parent is not None and parent.level != ObjectiveLevel.STRATEGIC:
            self.add_error("parent", _("An operational objective serves a strategic objective."))
        if self.instance.pk and parent is not None and parent.pk == self.instance.pk:
            self.add_error("parent", _("An objective cannot serve itself."))
        return data


class IndicatorForm(ScopedModelForm):
    source = forms.ChoiceField(label=_("source"), choices=())

    class Meta:
        model = Indicator
        fields = [
            "code", "name", "definition", "purpose", "formula", "unit", "frequency", "direction", "target",
            "green_threshold", "red_threshold", "owner", "process", "site", "source", "source_parameter", "chart_kind",
            "baseline_from", "baseline_to",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()
        _localize_decimals(self)

    def clean(self):
        data = super().clean()
        source = source_for(data.get("source") or "")
        parameter = data.get("source_parameter", "")
        if source is not None and source.check_parameter and not source.check_parameter(parameter):
            self.add_error("source_parameter", _("This parameter does not fit the source: {help}").format(help=source.parameter_help))
        return data


class MeasurementForm(ScopedModelForm):
    class Meta:
        model = Measurement
        fields = ["indicator", "period_on", "value", "comment"]
        help_texts = {"period_on": _("Any day of the period: the value is filed under the period's first day.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _localize_decimals(self)


class DashboardForm(ScopedModelForm):
    class Meta:
        model = Dashboard
        fields = ["title", "scope", "site", "process", "period_months"]


class DashboardTileForm(ScopedModelForm):
    class Meta:
        model = DashboardTile
        fields = ["indicator", "order", "size", "period_months"]


class ActionDependencyForm(ScopedModelForm):
    class Meta:
        model = ActionDependency
        fields = ["predecessor", "successor", "lag_days"]


class MoveForm(forms.Form):
    """A task moved on the Gantt: its new dates, the version read, and whether to apply."""

    start_on = forms.DateField()
    due_on = forms.DateField()
    version = forms.IntegerField()
    apply = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("due_on") and data["start_on"] > data["due_on"]:
            raise forms.ValidationError(_("The start date must not be after the due date."))
        return data
