"""Watch sources (feeds, the Légifrance PISTE API, manual), their poll history and the items
they bring into the inbox, where the coordinator qualifies each."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.choices import Domain, ItemStatus, SourceKind
from qse.models import ScopedModel

PISTE_TOKEN_URL = "https://oauth.piste.gouv.fr/api/oauth/token"
PISTE_API_URL = "https://api.piste.gouv.fr/dila/legifrance/lf-engine-app"


@pghistory.track(exclude=["etag", "last_modified", "access_token", "token_expires_at", "next_poll_at"])
class Source(ScopedModel):
    """Where new texts are watched for. A feed or the PISTE API is polled on its interval;
    a manual source only collects what people enter. The conditional-request validators and
    the last poll's outcome are kept on the row (no cache layer: what happened is visible)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.FEED)
    address = models.URLField(_("address"), max_length=500, blank=True,
                          help_text=_("The feed's address; for PISTE, the API base (production by default)."))
    domains = ArrayField(models.CharField(max_length=1, choices=Domain.choices), verbose_name=_("domains"),
                         default=list, blank=True)
    themes = ArrayField(models.CharField(max_length=60), verbose_name=_("themes"), default=list, blank=True)
    query = models.CharField(_("search terms"), max_length=300, blank=True,
                             help_text=_("PISTE: words searched in the Journal officiel."))
    interval_minutes = models.PositiveIntegerField(_("polling interval (minutes)"), default=360,
                                                   validators=[MinValueValidator(15), MaxValueValidator(10080)])
    is_active = models.BooleanField(_("active"), default=True)
    # PISTE credentials, per organization (OAuth2 client credentials); never shown back.
    client_id = models.CharField(_("PISTE client id"), max_length=200, blank=True)
    client_secret = models.CharField(_("PISTE client secret"), max_length=200, blank=True)
    token_url = models.URLField(_("PISTE token address"), max_length=300, blank=True)
    access_token = models.TextField(blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Conditional requests and the last poll.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True, editable=False)
    last_items = models.PositiveIntegerField(_("items in the last poll"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    error_count = models.PositiveSmallIntegerField(_("consecutive failures"), default=0, editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, editable=False)

    secret_fields = ("client_secret",)

    class Meta:
        verbose_name = _("watch source")
        verbose_name_plural = _("watch sources")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "next_poll_at"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("compliance:source_detail", args=[self.pk])

    @property
    def is_polled(self) -> bool:
        return self.kind != SourceKind.MANUAL


@pghistory.track()
class PollRun(ScopedModel):
    """One poll of a source: when, how long, the HTTP status, what it found, what went wrong.
    Written by the system (history would only repeat it)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="poll_runs", verbose_name=_("source"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    items_found = models.PositiveIntegerField(_("items found"), default=0)
    items_new = models.PositiveIntegerField(_("new items"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source} · {self.started_at:%Y-%m-%d %H:%M}"


@pghistory.track()
class WatchItem(ScopedModel):
    """An item a source brought (or someone entered): in the inbox until qualified relevant
    (it created or updated a text, or added a version) or not relevant, with the reason.
    The same item seen twice is stored once: unique on (organization, source, key)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="items", verbose_name=_("source"))
    key = models.CharField(max_length=64, editable=False)  # sha256 of the guid (or link, or title)
    guid = models.CharField(_("identifier"), max_length=500, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=500)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    identifiers = models.JSONField(_("identifiers"), default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=15, choices=ItemStatus.choices, default=ItemStatus.NEW,
                              editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    qualified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="qualified_watch_items", verbose_name=_("qualified by"),
                                     editable=False)
    qualified_at = models.DateTimeField(_("qualified at"), null=True, blank=True, editable=False)
    text = models.ForeignKey("compliance.Text", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="watch_items", verbose_name=_("text"), editable=False)
    text_version = models.ForeignKey("compliance.TextVersion", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="watch_items", verbose_name=_("text version"), editable=False)

    class Meta:
        verbose_name = _("watch item")
        verbose_name_plural = _("watch inbox")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "source", "key"], name="compliance_item_once_per_source"),
        ]
        indexes = [models.Index(fields=["organization", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title[:200]

    def get_absolute_url(self) -> str:
        return reverse("compliance:watchitem_detail", args=[self.pk])
