"""Reporting points: the QR codes posted on a site, leading to the account-less form."""

import secrets

import pghistory
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel


def new_token() -> str:
    return secrets.token_urlsafe(24)


@pghistory.track()
class ReportingPoint(ScopedModel):
    """A place (a site, a workshop) where anyone may report an event by scanning a QR code.

    The token in the URL is the only key; regenerating it retires the printed code.
    """

    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, related_name="reporting_points", verbose_name=_("site"),
    )
    label = models.CharField(_("label"), max_length=120, help_text=_("Where the code is posted, e.g. Workshop B."))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    site_field = "site"

    class Meta:
        verbose_name = _("reporting point")
        verbose_name_plural = _("reporting points")
        ordering = ["site__name", "label"]

    def __str__(self) -> str:
        return f"{self.site} · {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:reportingpoint_detail", args=[self.pk])

    def public_path(self) -> str:
        return reverse("public_report", args=[self.token])
