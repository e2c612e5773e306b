from django import forms
from django.utils.translation import gettext_lazy as _

from improvement.choices import EffectivenessResult, PdcaStage
from improvement.models import Action, ActionPlan
from qse.forms import ScopedModelForm


class ActionPlanForm(ScopedModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "description", "owner", "process", "site", "status", "due_on"]


class ActionForm(ScopedModelForm):
    class Meta:
        model = Action
        fields = [
            "title", "plan", "description", "deliverable", "owner", "process", "site", "origin_kind",
            "priority", "start_on", "due_on", "estimated_hours", "progress", "effectiveness_criterion", "verifier",
        ]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("comment"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EffectivenessForm(forms.Form):
    result = forms.ChoiceField(label=_("effectiveness result"), choices=EffectivenessResult.choices)
    # An HTML date input takes ISO dates only, whatever the language.
    checked_on = forms.DateField(label=_("effectiveness checked on"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=PdcaStage.choices)
