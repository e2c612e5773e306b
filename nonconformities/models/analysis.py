"""Root-cause analysis as structured records: 5 whys, Ishikawa, the retained root causes."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonconformities.choices import CauseCategory
from nonconformities.models.events import Event
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


@pghistory.track()
class WhyStep(ScopedModel):
    """One "why? because..." link of a 5-whys analysis.

    Steps form a tree: a step without parent answers the first "why" about the event;
    several children of one step are parallel branches. A leaf marked ``is_root_cause``
    ends its branch.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="why_steps", verbose_name=_("event"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("answers"),
    )
    question = models.CharField(_("why?"), max_length=300)
    answer = models.CharField(_("because"), max_length=300)
    is_root_cause = models.BooleanField(_("root cause"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    site_field = "event__site"
    ownership = OwnershipRule("event__owner", "event__process__owner")

    class Meta:
        verbose_name = _("why step")
        verbose_name_plural = _("why steps")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.question} → {self.answer}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


@pghistory.track()
class IshikawaCause(ScopedModel):
    """A cause (or, with a parent, a sub-cause) on one bone of the event's fishbone."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="ishikawa_causes", verbose_name=_("event"),
    )
    category = models.CharField(_("category"), max_length=20, choices=CauseCategory.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
        verbose_name=_("sub-cause of"),
    )
    text = models.CharField(_("cause"), max_length=200)
    is_root_cause = models.BooleanField(_("retained as root cause"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    site_field = "event__site"
    ownership = OwnershipRule("event__owner", "event__process__owner")

    class Meta:
        verbose_name = _("Ishikawa cause")
        verbose_name_plural = _("Ishikawa causes")
        ordering = ["event", "category", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


@pghistory.track()
class RootCause(ScopedModel):
    """A root cause the team retained, whatever tool found it.

    Corrective actions point at the root cause they address (``CorrectiveActionLink``);
    8D's D5 needs at least one validated root cause; the Pareto by cause category counts
    these rows.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="root_causes", verbose_name=_("event"))
    category = models.CharField(_("category"), max_length=20, choices=CauseCategory.choices)
    description = models.TextField(_("root cause"))
    is_escape_point = models.BooleanField(
        _("escape point"), default=False,
        help_text=_("Why the problem was not detected where it should have been."),
    )
    why_step = models.ForeignKey(
        WhyStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="root_causes",
        verbose_name=_("from the 5 whys"),
    )
    ishikawa_cause = models.ForeignKey(
        IshikawaCause, on_delete=models.SET_NULL, null=True, blank=True, related_name="root_causes",
        verbose_name=_("from the Ishikawa diagram"),
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True, editable=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("validated by"), editable=False,
    )
    validation_evidence = models.TextField(
        _("validation evidence"), blank=True,
        help_text=_("How the cause was confirmed: test, reproduction, data."),
    )

    site_field = "event__site"
    ownership = OwnershipRule("event__owner", "event__process__owner")

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validated_on__isnull=True) | Q(validated_by__isnull=False),
                name="root_cause_validation_has_a_validator",
                violation_error_message=_("A validated root cause needs who validated it."),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:100]

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    @property
    def is_validated(self) -> bool:
        return self.validated_on is not None


class ActionPurpose(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective")
    PREVENTIVE = "preventive", _("Preventive")


@pghistory.track()
class CorrectiveActionLink(ScopedModel):
    """Ties one foundation Action (whose origin is the event) to the root cause it addresses."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="action_links", verbose_name=_("event"),
    )
    action = models.OneToOneField(
        "improvement.Action", on_delete=models.PROTECT, related_name="event_link", verbose_name=_("action"),
    )
    root_cause = models.ForeignKey(
        RootCause, on_delete=models.PROTECT, null=True, blank=True, related_name="action_links",
        verbose_name=_("root cause addressed"),
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=ActionPurpose.choices, default=ActionPurpose.CORRECTIVE,
    )

    site_field = "event__site"
    ownership = OwnershipRule("event__owner", "event__process__owner")

    class Meta:
        verbose_name = _("corrective action link")
        verbose_name_plural = _("corrective action links")
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return str(self.action)

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()
