"""Interested parties (4.2): who they are, how much they weigh, what they expect."""

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from context.choices import PartyCategory
from context.scoring import party_priority
from qse.models import ScopedModel

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


@pghistory.track()
class InterestedParty(ScopedModel):
    """A party whose needs and expectations the management system must consider."""

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=15, choices=PartyCategory.choices)
    description = models.TextField(_("needs and context"), blank=True)
    influence = models.PositiveSmallIntegerField(_("influence (1-5)"), default=3, validators=SCORE_VALIDATORS)
    interest = models.PositiveSmallIntegerField(_("interest (1-5)"), default=3, validators=SCORE_VALIDATORS)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5, interest__gte=1, interest__lte=5),
                name="interested_party_scores_1_5",
                violation_error_message=_("Influence and interest are from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("context:interestedparty_detail", args=[self.pk])

    @property
    def priority(self):
        return party_priority(influence=self.influence, interest=self.interest)


@pghistory.track()
class PartyExpectation(ScopedModel):
    """A need or expectation of a party; some are compliance obligations (ISO 14001 6.1.3)."""

    party = models.ForeignKey(
        InterestedParty, on_delete=models.PROTECT, related_name="expectations", verbose_name=_("interested party")
    )
    text = models.CharField(_("expectation"), max_length=300)
    is_compliance_obligation = models.BooleanField(_("compliance obligation"), default=False)
    processes = models.ManyToManyField(
        "qse.Process", blank=True, related_name="party_expectations", verbose_name=_("processes concerned")
    )

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        ordering = ["party__name", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("context:partyexpectation_detail", args=[self.pk])
