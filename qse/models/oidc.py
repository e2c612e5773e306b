"""Sign-in with the organization's directory (OpenID Connect): its settings and the links
between a directory's people (issuer + subject) and our users."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qse.roles import Role


# The secret is kept out of the history rows: encrypted or not, it has no business there.
@pghistory.track(exclude=["client_secret_encrypted"])
class DirectorySignIn(models.Model):
    """One organization's OpenID Connect provider: who may sign in (e-mail domains) and with
    which role (its directory groups mapped to roles, else the default role, else no access)."""

    organization = models.OneToOneField(
        "qse.Organization", on_delete=models.CASCADE, related_name="directory_sign_in",
        verbose_name=_("organization"), editable=False,
    )
    is_enabled = models.BooleanField(_("directory sign-in enabled"), default=True)
    display_name = models.CharField(
        _("directory name"), max_length=100,
        help_text=_("Shown on the sign-in button, e.g. “Microsoft Entra ID”."),
    )
    # Blank when the deployment's settings give them (QSE_OIDC_DIRECTORIES).
    issuer = models.URLField(_("issuer"), max_length=300, blank=True)
    client_id = models.CharField(_("client ID"), max_length=300, blank=True)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    allowed_domains = models.JSONField(_("allowed e-mail domains"), default=list, blank=True)
    group_roles = models.JSONField(_("roles of the directory groups"), default=dict, blank=True)
    default_role = models.CharField(
        _("role when no group matches"), max_length=20, choices=Role.choices, blank=True,
        help_text=_("Given when none of the person's groups has a role; empty: no access."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("directory sign-in")
        verbose_name_plural = _("directory sign-ins")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.organization})"


class DirectoryIdentity(models.Model):
    """A person of the directory (issuer, subject) known as one of our users in one
    organization: the next sign-in finds them by subject, whatever their e-mail became."""

    organization = models.ForeignKey(
        "qse.Organization", on_delete=models.CASCADE, related_name="directory_identities", editable=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject (directory identifier)"), max_length=255)
    email = models.EmailField(_("e-mail in the directory"), blank=True)
    groups = models.JSONField(_("directory groups"), default=list, blank=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in through the directory"), null=True, blank=True)
    # True when the directory's groups took the access away (given back when they map again);
    # a membership an administrator deactivated stays deactivated.
    access_removed_by_directory = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("directory identity")
        verbose_name_plural = _("directory identities")
        constraints = [
            models.UniqueConstraint(fields=["organization", "issuer", "subject"], name="directory_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.email or self.subject} ({self.issuer})"
