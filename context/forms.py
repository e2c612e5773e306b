from django import forms

from context.models import (
    ClimateDecision,
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from qse.forms import ScopedModelForm

POLICY_FIELDS = [
    "kind", "text", "approved_on", "approved_by", "covers_iso_9001", "covers_iso_14001", "covers_iso_45001",
    "sites", "activities", "exclusions",
]


class PolicyStatementForm(ScopedModelForm):
    class Meta:
        model = PolicyStatement
        fields = POLICY_FIELDS
        widgets = {"sites": forms.CheckboxSelectMultiple}


class PolicyNewVersionForm(PolicyStatementForm):
    """The next version of a statement: same fields, the kind stays the previous one's."""

    class Meta(PolicyStatementForm.Meta):
        fields = [name for name in POLICY_FIELDS if name != "kind"]


class ContextIssueForm(ScopedModelForm):
    class Meta:
        model = ContextIssue
        fields = ["title", "description", "origin", "pestel", "effect", "importance", "processes", "last_reviewed_on"]
        widgets = {"processes": forms.CheckboxSelectMultiple}


class SwotItemForm(ScopedModelForm):
    class Meta:
        model = SwotItem
        fields = ["quadrant", "text", "issue", "risk", "action"]


class InterestedPartyForm(ScopedModelForm):
    class Meta:
        model = InterestedParty
        fields = ["name", "category", "description", "influence", "interest", "last_reviewed_on"]


class PartyExpectationForm(ScopedModelForm):
    class Meta:
        model = PartyExpectation
        fields = ["party", "text", "is_compliance_obligation", "processes"]
        widgets = {"processes": forms.CheckboxSelectMultiple}


class ClimateDecisionForm(ScopedModelForm):
    class Meta:
        model = ClimateDecision
        fields = [
            "is_relevant", "justification", "physical_risks_considered", "transition_risks_considered",
            "parties_requirements", "decided_on", "decided_by",
        ]
