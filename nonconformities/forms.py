import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nonconformities import event_fields, workflow
from nonconformities.models import (
    ActionPurpose,
    Event,
    HoursWorked,
    ImmediateAction,
    Person,
    RootCause,
)
from nonconformities.services import may_name_person_in_charge
from qse.forms import ScopedModelForm, UserChoiceField, members_queryset

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(ScopedModelForm):
    class Meta:
        model = Event
        # What every event asks for, then the groups that follow the type (``event_fields``).
        fields = [
            "event_type", "title", "description", "occurred_at", "detected_on", "site", "process", "severity",
            "detection_method", "detected_by_name", "owner", "recurrence_of",
            "supplier", "third_party", "third_party_reference", "product", "quantity_affected", "requirement_kind", "requirement",
            "cost_scrap", "cost_rework", "cost_downtime", "cost_penalties", "cost_other",
            "victim", "lost_time", "days_lost", "declared_on",
        ]
        widgets = {"occurred_at": DATETIME_WIDGET, "description": forms.Textarea(attrs={"rows": 4})}

    # The fields shown first, with the similar past events right below them.
    LEAD_FIELDS = ("event_type", "title", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and not may_name_person_in_charge(
                self.user, event=self.instance if self.instance.pk else None):
            # Naming the person in charge is triage (``services.may_name_person_in_charge``).
            del self.fields["owner"]
        if "recurrence_of" in self.fields and self.instance.pk:
            self.fields["recurrence_of"].queryset = self.fields["recurrence_of"].queryset.exclude(pk=self.instance.pk)
        self._mark_groups()

    def _mark_groups(self) -> None:
        """Each grouped field knows its group, and whether the current type leaves it out
        (rendered hidden; the page's script shows it again if the type changes)."""
        unused = event_fields.unused_fields(self._event_type())
        for name, field in self.fields.items():
            field.group = event_fields.GROUP_OF_FIELD.get(name, "")
            field.is_unused = name in unused

    def _event_type(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("event_type"), "")
        return self.initial.get("event_type") or self.instance.event_type or ""

    @property
    def lead_fields(self):
        return [self[name] for name in self.LEAD_FIELDS]

    @property
    def other_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.LEAD_FIELDS]

    @property
    def groups_by_type_json(self) -> str:
        return json.dumps({kind: list(groups) for kind, groups in event_fields.GROUPS_BY_TYPE.items()})

    def _drop_unused(self, cleaned: dict) -> None:
        """What the type does not use is never written from this form: typed for another type
        (a new event, a type changed), it is emptied; on an edit that keeps the type, what is
        stored stays as it is (an imported register may hold it)."""
        event_type = cleaned.get("event_type")
        retyped = not self.instance.pk or event_type != self.instance.event_type
        for name in event_fields.unused_fields(event_type) & set(self.fields):
            if retyped:
                cleaned[name] = Event._meta.get_field(name).get_default()
            else:
                cleaned.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        self._drop_unused(cleaned)
        occurred_at = cleaned.get("occurred_at")
        errors = workflow.field_errors(
            event_type=cleaned.get("event_type") or "",
            occurred_on=timezone.localdate(occurred_at) if occurred_at else None,
            detected_on=cleaned.get("detected_on"),
            has_victim=bool(cleaned.get("victim")) if "victim" in self.fields else False,
            lost_time=bool(cleaned.get("lost_time")),
            days_lost=cleaned.get("days_lost") or 0,
            declared_on=cleaned.get("declared_on"),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "employee_number", "job_title", "site", "is_temporary_worker"]


class HoursWorkedForm(ScopedModelForm):
    class Meta:
        model = HoursWorked
        fields = ["site", "month", "hours"]

    def clean_month(self):
        month = self.cleaned_data["month"]
        return month.replace(day=1) if month else month


class ImmediateActionForm(forms.ModelForm):
    """What, who, when: the containment recorded inline on the event page."""

    done_by = UserChoiceField(queryset=None, required=False, label=_("done by"))

    class Meta:
        model = ImmediateAction
        fields = ["description", "done_by", "done_by_name", "done_at", "quantity_contained"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "done_at": DATETIME_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_by"].queryset = members_queryset()


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Event._meta.get_field("status").choices)
    reason = forms.CharField(required=False, max_length=1000, label=_("reason"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TriageForm(forms.Form):
    """Accept (with a person in charge and a process) or reject (with a reason)."""

    decision = forms.ChoiceField(choices=(("accept", _("Accept")), ("reject", _("Reject"))))
    owner = UserChoiceField(queryset=None, required=False, label=_("person in charge"))
    process = forms.ModelChoiceField(queryset=None, required=False, label=_("process"))
    reason = forms.CharField(required=False, max_length=1000, label=_("rejection reason"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        from qse.models import Process

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()
        self.fields["process"].queryset = Process.objects.restrict(user, "view").filter(archived_at__isnull=True)


class EventActionForm(forms.Form):
    """The few fields of a corrective or preventive action created from the event."""

    title = forms.CharField(label=_("title"), max_length=200)
    deliverable = forms.CharField(label=_("deliverable"), max_length=255, required=False)
    owner = UserChoiceField(queryset=None, label=_("owner"))
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    effectiveness_criterion = forms.CharField(
        label=_("effectiveness criterion"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How you will know the action worked, e.g. no recurrence over 3 months of production."),
    )

    purpose = forms.ChoiceField(label=_("purpose"), choices=ActionPurpose.choices, initial=ActionPurpose.CORRECTIVE)
    root_cause = forms.ModelChoiceField(label=_("root cause addressed"), queryset=None, required=False)

    def __init__(self, *args, root_causes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()
        self.fields["root_cause"].queryset = root_causes if root_causes is not None else RootCause.objects.none()


class EventInformationForm(forms.Form):
    """Information added to an event after it was reported; it goes into the event's history."""

    text = forms.CharField(label=_("information to add"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DeclarationForm(forms.Form):
    declared_on = forms.DateField(label=_("declared on"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

