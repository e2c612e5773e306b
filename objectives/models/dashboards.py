"""Dashboards composed by the coordinator: an organization's, a site's or a process's."""

import pghistory
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from objectives.choices import DashboardScope, TileSize
from qse.models import ScopedModel


@pghistory.track()
class Dashboard(ScopedModel):
    """A page of indicator tiles for a scope; the organization's one is management's home."""

    title = models.CharField(_("title"), max_length=200)
    scope = models.CharField(_("scope"), max_length=20, choices=DashboardScope.choices, default=DashboardScope.ORGANIZATION)
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="dashboards", verbose_name=_("site"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="dashboards",
        verbose_name=_("process"),
    )
    period_months = models.PositiveSmallIntegerField(_("period (months)"), default=12)

    site_field = "site"

    class Meta:
        verbose_name = _("dashboard")
        verbose_name_plural = _("dashboards")
        ordering = ["scope", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope=DashboardScope.ORGANIZATION, site__isnull=True, process__isnull=True)
                | Q(scope=DashboardScope.SITE, site__isnull=False, process__isnull=True)
                | Q(scope=DashboardScope.PROCESS, process__isnull=False, site__isnull=True),
                name="dashboard_scope_matches",
                violation_error_message=_("A site dashboard names its site, a process dashboard its process, an organization dashboard neither."),
            ),
            models.CheckConstraint(
                condition=Q(period_months__gte=1, period_months__lte=60), name="dashboard_period_1_to_60",
                violation_error_message=_("The period is 1 to 60 months."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("objectives:dashboard_detail", args=[self.pk])


@pghistory.track()
class DashboardTile(ScopedModel):
    """One indicator on a dashboard, at a place and size, over a period (the dashboard's by default)."""

    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="tiles", verbose_name=_("dashboard"))
    indicator = models.ForeignKey(
        "objectives.Indicator", on_delete=models.PROTECT, related_name="tiles", verbose_name=_("indicator"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    size = models.CharField(_("size"), max_length=10, choices=TileSize.choices, default=TileSize.MEDIUM)
    period_months = models.PositiveSmallIntegerField(_("period (months)"), null=True, blank=True)

    site_field = "dashboard__site"

    class Meta:
        verbose_name = _("dashboard tile")
        verbose_name_plural = _("dashboard tiles")
        ordering = ["dashboard", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_months__isnull=True) | Q(period_months__gte=1, period_months__lte=60),
                name="tile_period_1_to_60", violation_error_message=_("The period is 1 to 60 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dashboard} · {self.indicator.code}"

    def get_absolute_url(self) -> str:
        return reverse("objectives:dashboardtile_detail", args=[self.dashboard_id, self.pk])
