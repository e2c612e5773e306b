"""Forms of the compliance pages: fields and input checks only."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance import conditions
from compliance.choices import ComplianceStatus, Domain
from compliance.models import (
    Applicability,
    Evaluation,
    IcpeClassification,
    Interlocutor,
    Requirement,
    SiteProfile,
    Source,
    Text,
    TextVersion,
    WatchItem,
)
from improvement.models import Action
from qse.forms import ScopedModelForm
from risks.forms import DomainsField


def _domains():
    return DomainsField(label=_("domains"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple, required=False)


class TextForm(ScopedModelForm):
    domains = _domains()

    class Meta:
        model = Text
        fields = [
            "kind", "reference", "title", "nor", "celex", "eli", "edition", "signed_on", "published_on",
            "effective_on", "status", "repealed_on", "domains", "themes", "official_url", "readable_url", "summary",
        ]


class TextVersionForm(ScopedModelForm):
    class Meta:
        model = TextVersion
        fields = ["text", "effective_on", "modified_by_reference", "summary", "articles", "change_note"]
        widgets = {"articles": forms.Textarea(attrs={"rows": 8})}


class ConditionsField(forms.JSONField):
    """The applicability conditions, checked against the vocabulary of ``compliance.conditions``."""

    def validate(self, value):
        super().validate(value)
        problems = conditions.errors(value if value is not None else [])
        if problems:
            raise forms.ValidationError(problems)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value if value is not None else [], ensure_ascii=False)


class RequirementForm(ScopedModelForm):
    domains = _domains()
    conditions = ConditionsField(label=_("applicability conditions"), required=False,
                                 help_text=Requirement._meta.get_field("conditions").help_text,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Requirement
        fields = [
            "text", "article", "title", "description", "concerned", "evidence_expected",
            "evaluation_interval_months", "domains", "themes", "conditions", "is_normative",
        ]

    def clean_conditions(self):
        return self.cleaned_data.get("conditions") or []


class SiteProfileForm(ScopedModelForm):
    class Meta:
        model = SiteProfile
        fields = ["site", "activities", "is_seveso", "notes"]


class IcpeClassificationForm(ScopedModelForm):
    class Meta:
        model = IcpeClassification
        fields = ["site", "rubrique", "regime", "dated_on", "activity_level", "act_reference"]


class ApplicabilityForm(ScopedModelForm):
    class Meta:
        model = Applicability
        fields = ["requirement", "site", "process", "status", "justification", "decided_on"]


class EvaluationForm(ScopedModelForm):
    class Meta:
        model = Evaluation
        fields = ["requirement", "site", "status", "evaluated_on", "evaluator", "findings", "next_due_on"]


class InterlocutorForm(ScopedModelForm):
    class Meta:
        model = Interlocutor
        fields = ["kind", "name", "body", "site", "email", "phone", "requires", "last_contact_on", "next_visit_on"]


class SourceForm(ScopedModelForm):
    domains = _domains()
    # A secret is written, never shown back: left empty on an edit, the stored one is kept.
    client_secret = forms.CharField(label=_("PISTE client secret"), required=False, max_length=200,
                                    widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = Source
        fields = ["name", "kind", "address", "domains", "themes", "query", "interval_minutes", "is_active",
                  "client_id", "client_secret", "token_url"]

    def changes(self) -> dict:
        data = super().changes()
        if not data.get("client_secret") and self.instance.pk:
            data.pop("client_secret", None)
        return data


class WatchItemForm(ScopedModelForm):
    """An item entered by hand (a text read in a newsletter, a customer's letter)."""

    class Meta:
        model = WatchItem
        fields = ["source", "title", "link", "summary", "published_at"]


class EvaluationActionForm(forms.Form):
    """The few fields of an action created from a gap (the site comes from the evaluation)."""

    title = forms.CharField(label=_("title"), max_length=200)
    deliverable = forms.CharField(label=_("deliverable"), max_length=255, required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from qse.forms import members_queryset
        from qse.labels import person_label

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()
        self.fields["owner"].label_from_instance = person_label


class EvaluationLinkForm(forms.Form):
    action = forms.ModelChoiceField(label=_("existing action"), queryset=Action.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.restrict(user, "change").filter(
            origin_type__isnull=True, archived_at__isnull=True)


GAP_STATUSES = (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.PARTIAL)
