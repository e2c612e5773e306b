"""Suggestions: an improvement anyone proposes, colleagues support and the coordinator assesses."""

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from qse.querysets import OwnedWhile, OwnershipRule


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


class SuggestionDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class SuggestionChannel(models.TextChoices):
    APP = "app", _("In the application")
    PUBLIC_FORM = "public_form", _("QR code form")


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


@pghistory.track()
class Suggestion(ScopedModel):
    """An improvement idea from anyone (in the app, or from a QR code form without an account).

    The author may change it until the coordinator starts reviewing it (``OwnedWhile``); the
    assessment (impact, effort, decision) and what it became (an action, a project) are written
    only by ``improvement.services_suggestions``."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="suggestions", verbose_name=_("site"))
    process = models.ForeignKey("qse.Process", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="suggestions", verbose_name=_("process"))
    team = models.ForeignKey("improvement.ImprovementTeam", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="suggestions", verbose_name=_("team"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="suggestions", verbose_name=_("author"), editable=False)
    author_name = models.CharField(_("author's name"), max_length=150, blank=True, editable=False)
    author_contact = models.CharField(_("author's contact"), max_length=150, blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=SuggestionChannel.choices,
                               default=SuggestionChannel.APP, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.SUBMITTED, editable=False)
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), null=True, blank=True, validators=SCORE, editable=False)
    effort = models.PositiveSmallIntegerField(_("effort (1-5)"), null=True, blank=True, validators=SCORE, editable=False)
    decision = models.CharField(_("decision"), max_length=20, choices=SuggestionDecision.choices, blank=True,
                                editable=False)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, editable=False)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("duplicate of"), editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reviewed_suggestions", verbose_name=_("assessed by"), editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True, editable=False)
    project = models.ForeignKey("improvement.ImprovementProject", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="suggestions", verbose_name=_("improvement project"), editable=False)

    site_field = "site"
    # "Authors change their own until reviewed": once the coordinator takes it up, it is theirs.
    ownership = OwnershipRule(OwnedWhile("author", status=SuggestionStatus.SUBMITTED))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            # The list's order: a page of suggestions reads its rows, not all of them sorted.
            models.Index(fields=["organization", "-created_at", "-id"], name="suggestion_org_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5),
                                   name="suggestion_impact_1_5"),
            models.CheckConstraint(condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=5),
                                   name="suggestion_effort_1_5"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:suggestion_detail", args=[self.pk])

    @property
    def author_label(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name


@pghistory.track()
class SuggestionSupport(ScopedModel):
    """One colleague's support of a suggestion: once per person (the count is of these rows)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supports",
                                   verbose_name=_("suggestion"))
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="suggestion_supports", verbose_name=_("supporter"))

    site_field = "suggestion__site"
    ownership = OwnershipRule("supporter")

    class Meta:
        verbose_name = _("suggestion support")
        verbose_name_plural = _("suggestion supports")
        ordering = ["suggestion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "supporter"], condition=Q(archived_at__isnull=True),
                                    name="suggestion_support_once",
                                    violation_error_message=_("You already support this suggestion.")),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} → {self.suggestion}"
