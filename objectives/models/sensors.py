"""Sensor devices. Their readings and roll-ups are not Django models: they live in raw,
range-partitioned tables created by migration 0003_sensors (see objectives/sensors_sql.py),
without version, history or foreign keys, since a large group writes 70 million a year."""

import pghistory
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from objectives.sensors_choices import DeviceKind
from qse.models import ScopedModel


@pghistory.track(exclude=["token_digest"])
class Device(ScopedModel):
    """A noise meter, a gas detector, an air-quality station, an energy or water meter.

    ``valid_min``/``valid_max`` is what the instrument can measure: a reading outside is an
    error and its batch is refused. ``limit_low``/``limit_high`` is what is acceptable
    (an exposure limit, a consumption ceiling): readings outside are stored and counted as
    out of range in the roll-ups. The device authenticates with its own token, of which only
    the SHA-256 digest is kept (shown once, revocable).
    """

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, help_text=_("Names the device in CSV and JSON batches."))
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("dB(A), ppm, µg/m³, kWh, m³..."))
    valid_min = models.FloatField(_("lowest valid value"))
    valid_max = models.FloatField(_("highest valid value"))
    limit_low = models.FloatField(_("low limit"), null=True, blank=True)
    limit_high = models.FloatField(_("high limit"), null=True, blank=True)
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="devices", verbose_name=_("site")
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    token_prefix = models.CharField(_("token"), max_length=8, blank=True, editable=False)
    token_digest = models.CharField(max_length=64, blank=True, editable=False)
    token_created_at = models.DateTimeField(_("token issued at"), null=True, blank=True, editable=False)
    token_revoked_at = models.DateTimeField(_("token revoked at"), null=True, blank=True, editable=False)

    site_field = "site"

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="objectives_device_code_unique",
                violation_error_message=_("Another sensor already has this code."),
            ),
            models.UniqueConstraint(
                fields=["token_digest"], condition=~Q(token_digest=""), name="objectives_device_token_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_min__lt=F("valid_max")), name="objectives_device_valid_range",
                violation_error_message=_("The lowest valid value must be below the highest."),
            ),
            models.CheckConstraint(
                condition=Q(limit_low__isnull=True) | Q(limit_high__isnull=True) | Q(limit_low__lt=F("limit_high")),
                name="objectives_device_limits",
                violation_error_message=_("The low limit must be below the high limit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("objectives:device_detail", args=[self.pk])

    @property
    def has_active_token(self) -> bool:
        return bool(self.token_digest) and self.token_revoked_at is None
