"""The 8D and the A3: structured problem-solving reports attached to an event."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nonconformities.choices import EightDStep
from nonconformities.models.events import Event
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


def _text(label, help_text=""):
    return models.TextField(label, blank=True, help_text=help_text)


@pghistory.track()
class EightD(ScopedModel):
    """An 8D (D0 to D8) on one event, in the format customers ask for.

    ``step`` is the step being worked on; moving to the next one goes through the guards
    of ``nonconformities.eightd`` (no D5 without a validated root cause, no D8 without an
    effectiveness check...). Containment, root causes and actions are the event's own
    records; the fields here hold what the 8D form adds around them.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="eightd", verbose_name=_("event"))
    step = models.PositiveSmallIntegerField(
        _("current step"), choices=EightDStep.choices, default=EightDStep.D0, editable=False,
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="championed_eightds",
        verbose_name=_("champion"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_eightds", verbose_name=_("team leader"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="eightd_teams", verbose_name=_("team members"),
    )
    external_members = models.CharField(
        _("external members"), max_length=300, blank=True, help_text=_("Customer or supplier representatives."),
    )
    emergency_response = _text(_("D0 · emergency response"))
    problem_what = _text(_("D2 · what (is / is not)"))
    problem_where = _text(_("D2 · where"))
    problem_when = _text(_("D2 · when"))
    problem_who = _text(_("D2 · who"))
    problem_how_many = _text(_("D2 · how many"))
    problem_how = _text(_("D2 · how detected"))
    containment_summary = _text(_("D3 · containment summary"))
    containment_verified_on = models.DateField(_("D3 · containment verified on"), null=True, blank=True)
    escape_point = _text(_("D4 · escape point"), _("Where in the process the problem should have been caught."))
    chosen_actions_rationale = _text(_("D5 · why these corrective actions"))
    implementation_validation = _text(_("D6 · implementation and validation"))
    recurrence_prevention = _text(
        _("D7 · prevention of recurrence"),
        _("Procedures, FMEA, control plans and similar products or processes updated."),
    )
    lessons_learned = _text(_("D7 · lessons learned"))
    congratulation = _text(_("D8 · team recognition"))
    d0_done_on = models.DateField(_("D0 done on"), null=True, blank=True, editable=False)
    d1_done_on = models.DateField(_("D1 done on"), null=True, blank=True, editable=False)
    d2_done_on = models.DateField(_("D2 done on"), null=True, blank=True, editable=False)
    d3_done_on = models.DateField(_("D3 done on"), null=True, blank=True, editable=False)
    d4_done_on = models.DateField(_("D4 done on"), null=True, blank=True, editable=False)
    d5_done_on = models.DateField(_("D5 done on"), null=True, blank=True, editable=False)
    d6_done_on = models.DateField(_("D6 done on"), null=True, blank=True, editable=False)
    d7_done_on = models.DateField(_("D7 done on"), null=True, blank=True, editable=False)
    d8_done_on = models.DateField(_("D8 done on"), null=True, blank=True, editable=False)

    site_field = "event__site"
    ownership = OwnershipRule("leader", "champion", "event__owner", "event__process__owner")

    class Meta:
        verbose_name = _("8D report")
        verbose_name_plural = _("8D reports")
        ordering = ["-event__occurred_at"]

    def __str__(self) -> str:
        return f"8D · {self.event.reference}"

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:eightd_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.d8_done_on is not None


@pghistory.track()
class A3Report(ScopedModel):
    """An A3: the whole problem-solving story on one landscape page."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="a3", verbose_name=_("event"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_a3s", verbose_name=_("owner"),
    )
    background = _text(_("background"))
    current_state = _text(_("current state"))
    goal = _text(_("goal"))
    analysis = _text(_("analysis"), _("The 5 whys and the Ishikawa diagram of the event are added to the page."))
    countermeasures = _text(_("countermeasures"))
    plan = _text(_("plan"), _("The event's actions are listed on the page with owners and dates."))
    follow_up = _text(_("follow-up"))

    site_field = "event__site"
    ownership = OwnershipRule("owner", "event__owner", "event__process__owner")

    class Meta:
        verbose_name = _("A3 report")
        verbose_name_plural = _("A3 reports")
        ordering = ["-event__occurred_at"]

    def __str__(self) -> str:
        return f"A3 · {self.event.reference}"

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:a3report_detail", args=[self.pk])
