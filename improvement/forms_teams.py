"""Forms of teams, members, sessions and training (fields and input checks only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from improvement.models import (
    ImprovementTeam,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from improvement.models.teams import TeamRole
from qse.forms import ScopedModelForm


class ImprovementTeamForm(ScopedModelForm):
    class Meta:
        model = ImprovementTeam
        fields = ["name", "purpose", "leader", "sector", "product", "process", "site"]


class TeamMemberForm(ScopedModelForm):
    class Meta:
        model = TeamMember
        fields = ["user", "role", "competences", "objective"]


class WorkSessionForm(ScopedModelForm):
    starts_at = forms.DateTimeField(label=_("starts at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    class Meta:
        model = WorkSession
        fields = ["kind", "title", "topic", "starts_at", "duration_minutes", "place", "agenda", "minutes",
                  "difficulties"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "awareness" and not data.get("topic"):
            self.add_error("topic", _("An awareness session is given on a training topic."))
        return data


class TrainingTopicForm(ScopedModelForm):
    required_team_roles = forms.MultipleChoiceField(
        label=_("required for the team roles"), choices=TeamRole.choices, widget=forms.CheckboxSelectMultiple,
        required=False)

    class Meta:
        model = TrainingTopic
        fields = ["name", "domain", "description", "validity_months", "required_for_everyone", "required_team_roles",
                  "processes", "risks", "occupational_risks"]


class TrainingRecordForm(ScopedModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["person", "topic", "trained_on", "trainer", "training_body", "comment"]


class CountermeasureForm(forms.Form):
    """A counter-measure decided at a session: what, who, by when (an action)."""

    title = forms.CharField(label=_("counter-measure"), max_length=200)
    deliverable = forms.CharField(label=_("deliverable"), max_length=255, required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    due_on = forms.DateField(label=_("due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        from qse.forms import members_queryset
        from qse.labels import person_label

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()
        self.fields["owner"].label_from_instance = person_label


class TopicActionForm(CountermeasureForm):
    """An action linked to a training topic: the same fields, titled as an action."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("title")
