"""Organizations (tenants), their sites, process map and memberships."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models.base import ScopedModel
from qse.querysets import OwnershipRule, ScopedQuerySet
from qse.roles import Role
from qse.validators import validate_siret


class EffectivenessPolicy(models.TextChoices):
    """Who verifies that an action was effective (never its owner)."""

    COORDINATOR = "coordinator", _("A coordinator")
    COORDINATOR_OR_NAMED_VERIFIER = "coordinator_or_named_verifier", _("A coordinator or the verifier named on the action")


class Sector(models.TextChoices):
    """The industry an organization works in (the demo's plants are machining and chemicals)."""

    MACHINING = "machining", _("Machining and metalworking")
    CHEMICALS = "chemicals", _("Chemicals")
    AGRIFOOD = "agrifood", _("Food and drink")
    PLASTICS = "plastics", _("Plastics and rubber")
    ELECTRONICS = "electronics", _("Electrical and electronic equipment")
    PHARMA = "pharma", _("Pharmaceuticals and cosmetics")
    CONSTRUCTION = "construction", _("Construction and civil engineering")
    LOGISTICS = "logistics", _("Transport and logistics")
    ENERGY = "energy", _("Energy, water and waste")
    SERVICES = "services", _("Services")
    OTHER = "other", _("Other")


class Organization(models.Model):
    """The tenant: one company (or group) running its management system in Pilote QSE."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
    )
    effectiveness_verified_by = models.CharField(
        _("effectiveness verified by"), max_length=40, choices=EffectivenessPolicy.choices,
        default=EffectivenessPolicy.COORDINATOR_OR_NAMED_VERIFIER,
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Site(ScopedModel):
    """A plant or location of the organization."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    headcount = models.PositiveIntegerField(
        _("headcount"), null=True, blank=True,
        help_text=_("From 11 employees the Document unique is updated every year; from 50, a prevention programme (PAPRIPACT) is required."),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="site_code_unique_per_org",
                violation_error_message=_("A site with this code already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("qse:site_detail", args=[self.pk])


class ProcessKind(models.TextChoices):
    MANAGEMENT = "management", _("Management process")
    REALIZATION = "realization", _("Realization process")
    SUPPORT = "support", _("Support process")


@pghistory.track()
class Process(ScopedModel):
    """A process of the process map (ISO 9001 clause 4.4), with its owner (pilote)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=ProcessKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_processes",
        verbose_name=_("owner"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent process"),
    )
    purpose = models.TextField(_("purpose"), blank=True)

    ownership = OwnershipRule("owner")

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="process_code_unique_per_org",
                violation_error_message=_("A process with this code already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("qse:process_detail", args=[self.pk])


class Membership(models.Model):
    """A user's role in one organization; optionally limited to some sites and processes.

    A person without an account (an operator named as action owner, an external auditor) is a
    user with an unusable password and a membership: named in records, invited later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    sites = models.ManyToManyField(Site, blank=True, related_name="memberships", verbose_name=_("sites"))
    processes = models.ManyToManyField(
        Process, blank=True, related_name="memberships", verbose_name=_("processes"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    @property
    def site_ids(self) -> list[int]:
        """Sites the member is limited to; empty means every site. Cached per request."""
        return self._limits()[0]

    @property
    def process_ids(self) -> list[int]:
        """Processes the member is limited to; empty means every process. Cached per request."""
        return self._limits()[1]

    def preset_limits(self, site_ids: list[int], process_ids: list[int]) -> None:
        """Limits read with the membership itself (qse.middleware.memberships_of)."""
        self._site_ids, self._process_ids = list(site_ids), list(process_ids)

    def _limits(self) -> tuple[list[int], list[int]]:
        """Both limits in one query (read on every scoped request, so it stays one)."""
        if not hasattr(self, "_site_ids"):
            from django.contrib.postgres.aggregates import ArrayAgg

            row = Membership.objects.filter(pk=self.pk).aggregate(
                sites=ArrayAgg("sites__pk", distinct=True, filter=models.Q(sites__isnull=False), default=[]),
                processes=ArrayAgg("processes__pk", distinct=True, filter=models.Q(processes__isnull=False), default=[]),
            )
            self._site_ids, self._process_ids = list(row["sites"]), list(row["processes"])
        return self._site_ids, self._process_ids
