"""In-app notifications and the reminder rows the periodic sweep sends."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from qse.models.base import ScopedModel
from qse.querysets import OwnershipRule


class Notification(ScopedModel):
    """A message shown in the user's notification list (the bell)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    ownership = OwnershipRule("recipient")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


# Reminder kinds are registered by the apps (``qse.reminders.register_kind``); this is only
# the room a kind's name has in the database.
KIND_MAX_LENGTH = 60


def validate_reminder_kind(value: str) -> None:
    """A reminder's kind must be one an app registered (and can render)."""
    from qse.reminders import registered_kinds

    if value not in registered_kinds():
        raise ValidationError(_("Unknown reminder kind: %(kind)s"), params={"kind": value}, code="invalid")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


@pghistory.track()
class Reminder(ScopedModel):
    """One reminder occurrence for one recipient; unique, so planning it twice is harmless.

    The sweep claims pending rows with SELECT ... FOR UPDATE SKIP LOCKED and marks them sent
    in the same transaction that records the in-app notification.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH, validators=[validate_reminder_kind])
    occurrence = models.DateField(_("occurrence"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Failed deliveries are retried by later sweeps, then given up (status FAILED), so one
    # bad address is not retried forever.
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last delivery error"), blank=True)

    ownership = OwnershipRule("recipient")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "recipient", "kind", "occurrence", "content_type", "object_id"],
                name="reminder_once_per_occurrence_per_organization",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["status", "organization"])]

    def __str__(self) -> str:
        from qse.reminders import kind_label

        return f"{kind_label(self.kind)} · {self.occurrence}"
