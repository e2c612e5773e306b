"""A person's choice of visible columns for a list (as NetBox's table configuration)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class TableConfig(models.Model):
    """The columns one user shows in one list, whatever the organization: a preference of the
    person, not a record of the organization. Row-level security keeps each row to its
    user (``qse.rls``: a user table, no organization_id)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="table_configs")
    table_name = models.CharField(_("table"), max_length=100)
    columns = ArrayField(models.CharField(max_length=100), verbose_name=_("columns"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    tenant_table = False  # no organization: isolated per user instead
    user_table = True

    class Meta:
        verbose_name = _("table configuration")
        verbose_name_plural = _("table configurations")
        constraints = [models.UniqueConstraint(fields=["user", "table_name"], name="qse_tableconfig_user_table")]

    def __str__(self) -> str:
        return f"{self.table_name} ({self.user_id})"
