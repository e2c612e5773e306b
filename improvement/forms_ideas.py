"""Forms of suggestions and improvement projects: fields and input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from improvement.models import ImprovementProject, ProjectPhase, Suggestion
from improvement.models.projects import ProjectStatus
from improvement.models.suggestions import SuggestionDecision
from improvement.project_methods import EDIT_STATUSES, ProjectMethod
from qse.forms import ScopedModelForm, members_queryset
from qse.labels import person_label

SCORES = [("", "—"), *((n, str(n)) for n in range(1, 6))]


class SuggestionForm(ScopedModelForm):
    class Meta:
        model = Suggestion
        fields = ["title", "description", "expected_benefit", "site", "process", "team"]


class AssessForm(forms.Form):
    impact = forms.TypedChoiceField(label=_("impact (1-5)"), choices=SCORES, coerce=int, empty_value=None, required=False)
    effort = forms.TypedChoiceField(label=_("effort (1-5)"), choices=SCORES, coerce=int, empty_value=None, required=False)
    decision = forms.ChoiceField(label=_("decision"), choices=SuggestionDecision.choices)
    decision_reason = forms.CharField(label=_("reason for the decision"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    duplicate_of = forms.IntegerField(label=_("duplicate of (suggestion number)"), required=False, min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class _PersonForm(forms.Form):
    """A form naming a member of the current organization (``owner`` or ``leader``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner", "leader"):
            if name in self.fields:
                self.fields[name].queryset = members_queryset()
                self.fields[name].label_from_instance = person_label


class SuggestionActionForm(_PersonForm):
    """The action an accepted idea becomes (the rest comes from the suggestion)."""

    title = forms.CharField(label=_("title"), max_length=200)
    deliverable = forms.CharField(label=_("deliverable"), max_length=255, required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class SuggestionProjectForm(_PersonForm):
    title = forms.CharField(label=_("title"), max_length=200)
    method = forms.ChoiceField(label=_("method"), choices=ProjectMethod.choices)
    leader = forms.ModelChoiceField(label=_("project leader"), queryset=None)


class ImprovementProjectForm(ScopedModelForm):
    class Meta:
        model = ImprovementProject
        fields = [
            "title", "objective", "method", "leader", "team", "members", "site", "process", "status", "start_on",
            "due_on", "indicator", "unit", "direction", "baseline", "target", "result", "resistances", "blockers",
            "levers", "conclusion",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("baseline", "target", "result"):
            value = getattr(self.instance, name)
            if value is not None and name in self.fields:
                self.initial[name] = f"{value.normalize():f}"  # 41, not 41.0000 (four decimals stored)
        status = self.fields.get("status")
        if status is None:
            return
        if not self.instance.pk:
            del self.fields["status"]  # a new project starts in progress
        elif self.instance.status == ProjectStatus.CLOSED:
            status.disabled = True  # closed by its close step, for good
        else:
            # Only what an edit may set is offered; "closed" is the close step's (the service
            # refuses it with the reason, should it be posted anyway).
            allowed = EDIT_STATUSES[self.instance.status]
            status.widget.choices = [(value, label) for value, label in status.choices if value in allowed]


class ProjectPhaseForm(ScopedModelForm):
    class Meta:
        model = ProjectPhase
        fields = ["position", "name", "deliverables", "status", "start_on", "due_on", "done_on", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.key and self.instance.project_id:
            # A method phase: its texts are shown in the reader's language; left as they are,
            # they stay translated for everyone (the service stores them empty).
            for name, text in (("name", self.instance.label), ("deliverables", self.instance.deliverables_text)):
                if name in self.fields and not getattr(self.instance, name):
                    self.initial[name] = text
            if "name" in self.fields:
                self.fields["name"].help_text = _("The method's name is shown in each reader's language until "
                                                  "you type another one.")

    def clean(self):
        cleaned = super().clean()
        if "name" in self.fields and not self.instance.key and not cleaned.get("name"):
            self.add_error("name", _("Give the phase a name."))
        start, due, done = cleaned.get("start_on"), cleaned.get("due_on"), cleaned.get("done_on")
        if start and due and start > due:
            self.add_error("due_on", _("The due date must not be before the start date."))
        if start and done and done < start:
            self.add_error("done_on", _("The completion date must not be before the start date."))
        return cleaned
