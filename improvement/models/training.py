"""Training and awareness (ISO 7.2 competence, 7.3 awareness): the QSE topics people are
trained on, who requires them, and who was trained when, valid until when."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from improvement.models.teams import TeamRole
from qse.models import ScopedModel


class TrainingDomain(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SAFETY = "safety", _("Health and safety")
    ENVIRONMENT = "environment", _("Environment")
    GENERAL = "general", _("General QSE")


@pghistory.track()
class TrainingTopic(ScopedModel):
    """A QSE topic (an authorisation such as the electrical "habilitation", a CACES, ATEX, an
    induction) with how long a training stays valid and whom it is required for.

    A member of a team requires the topic when it is required for everyone, for their role in
    the team, for the team's process, or for a risk of that process (a hazard that calls for an
    authorisation). Occupational risks name the hazards of the Document unique it answers."""

    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("QSE domain"), max_length=20, choices=TrainingDomain.choices,
                              default=TrainingDomain.SAFETY)
    description = models.TextField(_("description"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), null=True, blank=True, help_text=_("Empty: the training does not expire."))
    required_for_everyone = models.BooleanField(_("required for everyone"), default=False)
    required_team_roles = ArrayField(
        models.CharField(max_length=20, choices=TeamRole.choices), blank=True, default=list,
        verbose_name=_("required for the team roles"),
    )
    processes = models.ManyToManyField("qse.Process", blank=True, related_name="training_topics",
                                       verbose_name=_("required for the processes"))
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="training_topics",
                                   verbose_name=_("required by the risks"))
    occupational_risks = models.ManyToManyField(
        "risks.OccupationalRisk", blank=True, related_name="training_topics",
        verbose_name=_("required by the occupational risks"))

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("improvement:trainingtopic_detail", args=[self.pk])


@pghistory.track()
class TrainingRecord(ScopedModel):
    """One person trained on one topic: when, by whom, valid until when (computed from the
    topic's validity by the service); the evidence (attendance sheet, certificate) is attached."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="training_records", verbose_name=_("person"))
    topic = models.ForeignKey(TrainingTopic, on_delete=models.PROTECT, related_name="records",
                              verbose_name=_("topic"))
    trained_on = models.DateField(_("trained on"))
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    training_body = models.CharField(_("training organisation"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    session = models.ForeignKey("improvement.WorkSession", on_delete=models.SET_NULL, null=True, blank=True,
                                editable=False, related_name="training_records",
                                verbose_name=_("awareness session"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-trained_on", "pk"]
        indexes = [models.Index(fields=["person", "topic"], name="training_person_topic")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:trainingrecord_detail", args=[self.pk])
