"""Question banks: the organization's reusable audit questions, loaded from the translated
YAML library (``audits/library/``) or written by the coordinator, copied and edited."""

import pghistory
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audits.choices_banks import BankKind
from qse.models import ScopedModel
from qse.standards import Standard


@pghistory.track()
class QuestionBank(ScopedModel):
    """A set of audit questions for one standard's edition, a supplier questionnaire or a
    field walk. ``library_key`` names the library file it was loaded from (refreshed when the
    library is loaded again); a copy has none and is the organization's to edit."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=BankKind.choices, default=BankKind.CUSTOM)
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    library_key = models.CharField(_("library"), max_length=80, blank=True, editable=False)
    library_version = models.PositiveIntegerField(_("library version"), default=0, editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="copies", verbose_name=_("copied from"),
    )

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["kind", "standard", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "library_key"], condition=~models.Q(library_key=""),
                                    name="questionbank_one_per_library"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("audits:questionbank_detail", args=[self.pk])


@pghistory.track()
class BankQuestion(ScopedModel):
    """One question of a bank. ``reference`` is its stable name ("iso9001-2015/8.4/1"): a copy
    keeps it, so a checklist built from a bank and its copy never holds the question twice."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions",
                             verbose_name=_("question bank"))
    position = models.PositiveIntegerField(_("position"), default=0)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    text = models.TextField(_("question"))
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("What to look at, whom to ask."))
    reference = models.CharField(_("reference"), max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("bank question")
        verbose_name_plural = _("bank questions")
        ordering = ["bank", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.clause} {self.text[:60]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("audits:bankquestion_detail", args=[self.bank_id, self.pk])
