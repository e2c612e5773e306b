"""Invitations to join an organization, and each person's own preferences."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qse.querysets import ScopedQuerySet
from qse.roles import Role


def invitation_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(models.Model):
    """A link sent by e-mail to join an organization with a role (and optional limits).

    Only the digest of the link's secret is kept; re-sending draws a new secret, so an older
    link stops working. Accepting sets the person's password and creates the membership.
    Rights on invitations are those on memberships (an invitation is a membership to be).
    """

    organization = models.ForeignKey("qse.Organization", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    sites = models.ManyToManyField("qse.Site", blank=True, related_name="+", verbose_name=_("sites"))
    processes = models.ManyToManyField("qse.Process", blank=True, related_name="+", verbose_name=_("processes"))
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"))
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        constraints = [
            # One open invitation per address and organization: re-send it rather than stack links.
            models.UniqueConstraint(
                fields=["organization", "email"], name="invitation_one_open_per_email",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                violation_error_message=_("An invitation is already waiting for this address: re-send it."),
            )
        ]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class UserProfile(models.Model):
    """A person's own preferences, whatever the organization: language, which reminders also
    come by e-mail, the day of the weekly digest. No row means the defaults (row-level
    security keeps each row to its user: a user table)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # Reminder kinds (``qse.reminders.registered_kinds``) the person receives in the app only.
    muted_email_kinds = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, verbose_name=_("reminders not sent by e-mail"),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest day"), choices=Weekday.choices, default=Weekday.MONDAY,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    tenant_table = False  # no organization: isolated per user instead
    user_table = True

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)
