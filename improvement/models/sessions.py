"""Work sessions of an improvement team (and awareness sessions): who was invited and came,
the minutes, the difficulties raised; the counter-measures are actions whose origin is the
session (``improvement.Action``, one model for every origin)."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from improvement.models.teams import ImprovementTeam
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


class SessionKind(models.TextChoices):
    WORK = "work", _("Work session")
    AWARENESS = "awareness", _("Awareness session")


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


@pghistory.track()
class WorkSession(ScopedModel):
    """A meeting of a team: a work session (QRQC, kaizen, safety circle) or an awareness
    session on a training topic (ISO 7.3 evidence, with its attendance)."""

    team = models.ForeignKey(ImprovementTeam, on_delete=models.PROTECT, related_name="sessions",
                             verbose_name=_("team"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.WORK)
    title = models.CharField(_("title"), max_length=200)
    topic = models.ForeignKey("improvement.TrainingTopic", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="sessions", verbose_name=_("awareness topic"))
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    difficulties = models.TextField(_("difficulties raised"), blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True, editable=False)

    site_field = "team__site"
    ownership = OwnershipRule("team__leader", "team__process__owner")

    class Meta:
        verbose_name = _("work session")
        verbose_name_plural = _("work sessions")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="work") | models.Q(topic__isnull=False), name="awareness_session_has_topic",
                violation_error_message=_("An awareness session is given on a training topic."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:worksession_detail", args=[self.team_id, self.pk])


@pghistory.track()
class SessionAttendance(ScopedModel):
    """One invited person's attendance at a session."""

    session = models.ForeignKey(WorkSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("session"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="session_attendances", verbose_name=_("person"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.INVITED)

    site_field = "session__team__site"
    ownership = OwnershipRule("session__team__leader", "session__team__process__owner")

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendances")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_attendance_once",
                                    violation_error_message=_("This person is already invited.")),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()
