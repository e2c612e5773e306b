"""Forms of the audits app: fields and input checks only (the independence rule is the
service's, asked here too so the refusal shows on the field before anything is saved)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.independence import auditee_errors, independence_errors
from audits.models import Audit, Auditee, AuditorCompetence, AuditProgramme, ScheduleItem
from qse.forms import ScopedModelForm
from qse.standards import Standard

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _clauses(value) -> list[str]:
    """"8.4, 9.1.2; 10.2" -> ["8.4", "9.1.2", "10.2"]."""
    return [part.strip() for part in str(value or "").replace(";", ",").split(",") if part.strip()]


class ClauseListField(forms.CharField):
    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return _clauses(value)


class AuditProgrammeForm(ScopedModelForm):
    class Meta:
        model = AuditProgramme
        fields = ["year", "title", "objectives", "owner"]


class AuditForm(ScopedModelForm):
    standards = forms.MultipleChoiceField(choices=Standard.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("standards"))
    clauses = ClauseListField(required=False, label=_("clauses"), help_text=_("The clauses audited, e.g. 8.4, 9.1.2."))

    class Meta:
        model = Audit
        fields = [
            "programme", "reference", "title", "kind", "category", "standards", "clauses", "scope", "criteria",
            "objectives", "process", "site", "supplier", "planned_start", "planned_end", "lead_auditor", "auditors",
            "follow_up_of", "opening_held_at", "opening_attendees", "opening_notes", "closing_held_at",
            "closing_attendees", "closing_notes", "auditee_representative", "strengths", "conclusion",
        ]
        widgets = {"auditors": forms.CheckboxSelectMultiple, "opening_held_at": DATETIME_WIDGET,
                   "closing_held_at": DATETIME_WIDGET}

    def clean(self):
        data = super().clean()
        auditees = [a.person for a in self.instance.auditees.select_related("person")] if self.instance.pk else []
        errors = independence_errors(process=data.get("process"), lead_auditor=data.get("lead_auditor"),
                                     auditors=list(data.get("auditors") or ()), auditees=auditees)
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        end, start = data.get("planned_end"), data.get("planned_start")
        if end and start and end < start:
            self.add_error("planned_end", _("The audit cannot end before it starts."))
        return data


class AuditeeForm(ScopedModelForm):
    class Meta:
        model = Auditee
        fields = ["person", "reason", "note"]

    def clean(self):
        data = super().clean()
        audit = self.instance.audit if self.instance.audit_id else None
        if audit is not None:
            for message in auditee_errors(person=data.get("person"), lead_auditor=audit.lead_auditor,
                                          auditors=list(audit.auditors.all())).get("person", []):
                self.add_error("person", message)
        return data


class ScheduleItemForm(ScopedModelForm):
    class Meta:
        model = ScheduleItem
        fields = ["starts_at", "ends_at", "activity", "subject", "location", "people"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET, "people": forms.CheckboxSelectMultiple}

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The item must end after it starts."))
        return data


class AuditorCompetenceForm(ScopedModelForm):
    standards = forms.MultipleChoiceField(choices=Standard.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple, label=_("standards"))

    class Meta:
        model = AuditorCompetence
        fields = ["auditor", "standards", "sectors", "training", "qualified_on"]


class SignatureForm(forms.Form):
    """A drawn signature, sent by the signature pad as a PNG data URL."""

    signer = forms.ChoiceField(choices=[("lead", _("lead auditor")), ("auditee", _("auditee's representative"))])
    name = forms.CharField(required=False, max_length=150, label=_("name"))
    image = forms.CharField(widget=forms.HiddenInput)
