"""The scoped base every domain model inherits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qse.querysets import ScopedQuerySet


class ScopedModel(models.Model):
    """A row that belongs to exactly one organization.

    ``version`` drives optimistic locking (a stale edit is a conflict, never a silent
    overwrite); ``archived_at`` replaces deletion, since records are quality evidence.
    """

    organization = models.ForeignKey(
        "qse.Organization",
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)ss",
        verbose_name=_("organization"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    # Field path used to restrict users limited to some sites; None when not per site.
    site_field: str | None = None
    ownership = None

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
