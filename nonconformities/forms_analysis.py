"""Forms of the root-cause analysis: input checks only (the services decide the rest)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from improvement.models import Action
from nonconformities.choices import CauseCategory
from nonconformities.models import (
    A3Report,
    ActionPurpose,
    EightD,
    Event,
    ImmediateAction,
    IshikawaCause,
    RootCause,
    WhyStep,
)
from nonconformities.services_analysis import EIGHTD_TEXT_FIELDS
from qse.forms import ScopedModelForm


def _analysable_events(user):
    """The events whose analysis the user may add to (``services_analysis.ensure_may_analyse``)."""
    return Event.objects.restrict(user, "change").filter(archived_at__isnull=True)


class WhyStepForm(forms.Form):
    question = forms.CharField(label=_("why?"), max_length=300)
    answer = forms.CharField(label=_("because"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RootCauseMarkForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=CauseCategory.choices)
    description = forms.CharField(
        label=_("root cause"), required=False, max_length=1000,
        help_text=_("Leave empty to take the answer as it is."),
    )


class IshikawaCauseForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=CauseCategory.choices, required=False)
    text = forms.CharField(label=_("cause"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RootCauseForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=CauseCategory.choices)
    description = forms.CharField(label=_("root cause"), widget=forms.Textarea(attrs={"rows": 2}))
    is_escape_point = forms.BooleanField(label=_("escape point"), required=False)


class RootCauseValidateForm(forms.Form):
    validation_evidence = forms.CharField(
        label=_("validation evidence"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the cause was confirmed: test, reproduction, data."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CorrectiveActionForm(ScopedModelForm):
    """The improvement action to create for a root cause, and whether it corrects or prevents."""

    purpose = forms.ChoiceField(label=_("purpose"), choices=ActionPurpose.choices, initial=ActionPurpose.CORRECTIVE)

    class Meta:
        model = Action
        fields = ["title", "deliverable", "owner", "start_on", "due_on", "priority", "effectiveness_criterion"]

    def changes(self) -> dict:
        return {k: v for k, v in super().changes().items() if k != "purpose"}


class EightDForm(ScopedModelForm):
    """Starting an 8D asks for the event and the people; editing it fills the steps' texts."""

    class Meta:
        model = EightD
        fields = ["event", "champion", "leader", "team", "external_members", *EIGHTD_TEXT_FIELDS[1:]]
        widgets = {"team": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["event"].disabled = True
        else:
            # Only events that have no 8D yet, among those the user may analyse (change).
            self.fields["event"].queryset = _analysable_events(self.user).filter(eightd__isnull=True)
            for name in EIGHTD_TEXT_FIELDS[1:]:
                del self.fields[name]

    def changes(self) -> dict:
        return {k: v for k, v in super().changes().items() if not (self.instance.pk and k == "event")}


class A3Form(ScopedModelForm):
    class Meta:
        model = A3Report
        fields = ["event", "owner", "background", "current_state", "goal", "analysis", "countermeasures", "plan",
                  "follow_up"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["event"].disabled = True
        else:
            self.fields["event"].queryset = _analysable_events(self.user).filter(a3__isnull=True)

    def changes(self) -> dict:
        return {k: v for k, v in super().changes().items() if not (self.instance.pk and k == "event")}


# --- the records of the analysis as children of their event (generic pages) ---------------


class WhyStepModelForm(ScopedModelForm):
    class Meta:
        model = WhyStep
        fields = ["parent", "question", "answer"]


class IshikawaCauseModelForm(ScopedModelForm):
    class Meta:
        model = IshikawaCause
        fields = ["category", "parent", "text"]


class RootCauseModelForm(ScopedModelForm):
    class Meta:
        model = RootCause
        fields = ["category", "description", "is_escape_point"]


class ImmediateActionModelForm(ScopedModelForm):
    class Meta:
        model = ImmediateAction
        fields = ["description", "done_by", "done_by_name", "done_at", "quantity_contained"]
