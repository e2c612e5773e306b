from django import forms
from django.utils.translation import gettext_lazy as _

from qse.forms import ScopedModelForm
from risks import scoring
from risks.choices import Domain
from risks.models import Risk, RiskMatrix


class RiskMatrixForm(ScopedModelForm):
    class Meta:
        model = RiskMatrix
        fields = ["name", "description", "is_default", "acceptability_threshold", "scales", "bands"]
        widgets = {"scales": forms.Textarea(attrs={"rows": 12}), "bands": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in ("scales", "bands", "acceptability_threshold")}
        if all(value is not None for value in data.values()):
            for error in scoring.matrix_errors(data):
                self.add_error("scales", error)
        return cleaned


class RiskForm(ScopedModelForm):
    domains = forms.MultipleChoiceField(
        label=_("domains"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Risk
        fields = [
            "reference", "title", "kind", "domains", "process", "site", "source", "source_detail",
            "cause", "consequence", "existing_controls", "matrix",
            "inherent_gravity", "inherent_probability", "inherent_detectability",
            "treatment", "treatment_justification", "accepted_by",
            "residual_gravity", "residual_probability", "residual_detectability",
            "owner", "next_review_on", "status",
        ]


class RiskActionForm(forms.Form):
    """The few fields of an action created from a risk (the rest comes from the risk)."""

    title = forms.CharField(label=_("title"), max_length=200)
    deliverable = forms.CharField(label=_("deliverable"), max_length=255, required=False)
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))
