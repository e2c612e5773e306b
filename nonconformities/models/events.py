"""The one register of events: nonconformities, complaints, incidents, accidents."""

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nonconformities.choices import (
    DetectionMethod,
    EventStatus,
    EventType,
    ReportChannel,
    RequirementKind,
    Severity,
)
from qse.fields import ShownTo
from qse.models import ScopedModel
from qse.querysets import OwnedWhile, OwnershipRule


def _cost_field(label):
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)],
    )


@pghistory.track()
class Person(ScopedModel):
    """A person an accident or disease happened to: the minimum French practice needs
    (no address, no social-security number: those stay in the HR and declaration tools)."""

    full_name = models.CharField(_("full name"), max_length=150)
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("site"),
    )
    is_temporary_worker = models.BooleanField(_("temporary worker"), default=False)

    site_field = "site"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:person_detail", args=[self.pk])


# The generated total cannot be written by the history trigger; it follows from the parts.
@pghistory.track(exclude=["cost_total"])
class Event(ScopedModel):
    """Something that deviated from a requirement or could have hurt someone.

    The reference is handed out by the service from a per-organization counter
    (``qse.references``). The cost of non-quality is split by kind and totalled by the
    database (a generated column), so Pareto charts sum it in SQL.
    """

    reference = models.CharField(_("reference"), max_length=30, editable=False)
    event_type = models.CharField(_("type"), max_length=30, choices=EventType.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.OPEN, editable=False,
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    detected_on = models.DateField(_("detection date"))
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="qse_events", verbose_name=_("site"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="qse_events",
        verbose_name=_("process"),
    )
    product = models.CharField(_("product or activity"), max_length=200, blank=True)
    third_party = models.CharField(
        _("customer or supplier"), max_length=200, blank=True,
        help_text=_("The customer who complained or the supplier at fault."),
    )
    third_party_reference = models.CharField(_("customer or supplier reference"), max_length=80, blank=True)
    # The supplier of the register by its key, so its scorecard counts the event whatever the
    # spelling of ``third_party`` (kept as text: customers and one-off suppliers are in no
    # register). PROTECT: an event is evidence of the supplier's record; a supplier that has
    # events is archived, never deleted from under them.
    supplier = models.ForeignKey(
        "audits.Supplier", on_delete=models.PROTECT, null=True, blank=True, related_name="qse_events",
        verbose_name=_("supplier (register)"),
        help_text=_("The supplier of the register at the origin: its scorecard counts this event."),
    )
    quantity_affected = models.PositiveIntegerField(_("quantity affected"), null=True, blank=True)
    detected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="detected_events",
        verbose_name=_("detected by"),
    )
    detected_by_name = models.CharField(
        _("detected by (name)"), max_length=150, blank=True,
        help_text=_("When the person has no account, or reported through the public form."),
    )
    reporter_contact = models.CharField(_("reporter contact"), max_length=150, blank=True)
    detection_method = models.CharField(
        _("detection method"), max_length=20, choices=DetectionMethod.choices, default=DetectionMethod.OTHER,
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=ReportChannel.choices, default=ReportChannel.APP, editable=False,
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.MINOR)
    requirement_kind = models.CharField(
        _("requirement type"), max_length=20, choices=RequirementKind.choices, blank=True,
    )
    requirement = models.CharField(
        _("requirement not met"), max_length=255, blank=True,
        help_text=_("The clause, specification, drawing or article the event deviates from."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_events",
        verbose_name=_("person in charge"),
    )
    cost_scrap = _cost_field(_("scrap cost"))
    cost_rework = _cost_field(_("rework cost"))
    cost_downtime = _cost_field(_("downtime cost"))
    cost_penalties = _cost_field(_("penalties"))
    cost_other = _cost_field(_("other costs"))
    cost_total = models.GeneratedField(
        expression=F("cost_scrap") + F("cost_rework") + F("cost_downtime") + F("cost_penalties") + F("cost_other"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("cost of non-quality"),
    )
    recurrence_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="recurrences",
        verbose_name=_("recurrence of"),
    )
    closed_on = models.DateField(_("closure date"), null=True, blank=True, editable=False)
    rejection_reason = models.TextField(_("rejection reason"), blank=True, editable=False)
    # Accidents and occupational diseases (French practice).
    victim = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="accidents", verbose_name=_("victim"),
    )
    lost_time = models.BooleanField(_("lost-time accident"), default=False)
    days_lost = models.PositiveIntegerField(_("days lost"), default=0)
    declaration_due_at = models.DateTimeField(_("declaration deadline"), null=True, blank=True, editable=False)
    declared_on = models.DateField(_("declared on"), null=True, blank=True)

    site_field = "site"
    # The reporter keeps their event only until it is taken in charge: while it awaits triage,
    # or is open with nobody in charge yet. From then on it belongs to the person in charge and
    # the process owner; the reporter reads it and adds information (``event_add_information``).
    ownership = OwnershipRule(
        "owner", "process__owner",
        OwnedWhile("detected_by", status=EventStatus.REPORTED),
        OwnedWhile("detected_by", status=EventStatus.OPEN, owner=None),
    )
    # A closed or rejected event takes no more evidence: its actions carry the proof of
    # effectiveness (qse.uploads.evidence_refusal).
    closed_statuses = (EventStatus.CLOSED, EventStatus.REJECTED)
    # Personal data: who was hurt, and how to reach whoever reported through the public form,
    # are shown only to who may see people (coordinators); read everywhere through qse.fields.
    restricted_fields = {
        "victim": ShownTo("nonconformities.Person"),
        "reporter_contact": ShownTo("nonconformities.Person"),
    }

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "event_type"]),
            models.Index(fields=["organization", "occurred_at"]),
            # The triage queue pages an organization's reported events oldest first: read in
            # this order, its page stops at 25 rows instead of sorting every reported event.
            models.Index(fields=["organization", "status", "created_at", "id"], condition=Q(archived_at__isnull=True),
                         name="event_org_status_created_idx"),
            # The open events per status and type (events dashboard) are counted from this
            # index alone (an index-only scan), not from every event's row.
            models.Index(fields=["organization", "status", "event_type"], condition=Q(archived_at__isnull=True),
                         name="event_open_counts_idx"),
            # Similar past events are found by trigram similarity (pg_trgm).
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="event_title_trgm"),
            GinIndex(fields=["description"], opclasses=["gin_trgm_ops"], name="event_description_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="event_reference_unique_per_organization",
                violation_error_message=_("Another event already has this reference."),
            ),
            models.CheckConstraint(
                condition=Q(lost_time=True) | Q(days_lost=0), name="event_days_lost_only_with_lost_time",
                violation_error_message=_("Days lost are only counted for a lost-time accident."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:event_detail", args=[self.pk])


@pghistory.track()
class ImmediateAction(ScopedModel):
    """Containment recorded at detection, before any analysis: what, who, when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="immediate_actions", verbose_name=_("event"))
    description = models.TextField(_("what was done"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("done by"),
    )
    done_by_name = models.CharField(_("done by (name)"), max_length=150, blank=True)
    done_at = models.DateTimeField(_("done at"))
    quantity_contained = models.PositiveIntegerField(_("quantity contained"), null=True, blank=True)

    site_field = "event__site"
    ownership = OwnershipRule("event__owner", "event__process__owner", "done_by")

    class Meta:
        verbose_name = _("immediate action")
        verbose_name_plural = _("immediate actions")
        ordering = ["done_at", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


@pghistory.track()
class HoursWorked(ScopedModel):
    """Hours worked on one site in one month: the denominator of TF and TG."""

    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="hours_worked", verbose_name=_("site"))
    month = models.DateField(_("month"), help_text=_("Any day of the month; stored as its first day."))
    hours = models.DecimalField(_("hours worked"), max_digits=12, decimal_places=1, validators=[MinValueValidator(0)])

    site_field = "site"

    class Meta:
        verbose_name = _("hours worked")
        verbose_name_plural = _("hours worked")
        ordering = ["-month", "site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "site", "month"], name="hours_worked_once_per_site_and_month",
                violation_error_message=_("The hours of this site and month are already entered."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="hours_worked_month_is_first_day",
                violation_error_message=_("The month is stored as its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:hoursworked_detail", args=[self.pk])
