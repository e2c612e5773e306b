"""Improvement teams: the people who meet to improve a sector, a product or a process."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from qse.querysets import OwnershipRule


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")
    SPONSOR = "sponsor", _("Sponsor")
    EXPERT = "expert", _("Expert")


@pghistory.track()
class ImprovementTeam(ScopedModel):
    """A standing team (a QRQC cell, a kaizen team, a safety circle) and what it covers."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="led_improvement_teams", verbose_name=_("team leader"),
    )
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    product = models.CharField(_("product"), max_length=120, blank=True)
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True,
        related_name="improvement_teams", verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True,
        related_name="improvement_teams", verbose_name=_("site"),
    )

    site_field = "site"
    ownership = OwnershipRule("leader", "process__owner")

    class Meta:
        verbose_name = _("improvement team")
        verbose_name_plural = _("improvement teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("improvement:improvementteam_detail", args=[self.pk])


@pghistory.track()
class TeamMember(ScopedModel):
    """One person's place in a team: role, competences, the objective they contribute to."""

    team = models.ForeignKey(ImprovementTeam, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("team"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="team_memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    competences = models.TextField(_("competences"), blank=True)
    objective = models.ForeignKey(
        "objectives.Objective", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="team_members", verbose_name=_("objective contributed to"),
    )

    site_field = "team__site"
    ownership = OwnershipRule("team__leader", "team__process__owner")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], condition=models.Q(archived_at__isnull=True),
                                    name="team_member_once",
                                    violation_error_message=_("This person is already a member of the team.")),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("improvement:teammember_detail", args=[self.team_id, self.pk])
