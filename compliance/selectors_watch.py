"""Reads of the watch: a source's poll history and the inbox's counts."""

from __future__ import annotations

from django.db.models import Count, Q

from compliance.choices import ItemStatus
from compliance.models import PollRun, WatchItem

HISTORY_SHOWN = 20


def poll_history(source, *, user):
    """The source's last polls, newest first (bounded: a page never grows with the history)."""
    return list(PollRun.objects.restrict(user, "view").filter(source=source).order_by("-started_at", "-pk")[:HISTORY_SHOWN])


def inbox_counts(*, user) -> dict:
    """How many items await qualification, and how many were qualified each way (one query)."""
    return WatchItem.objects.restrict(user, "view").filter(archived_at__isnull=True).aggregate(
        new=Count("pk", filter=Q(status=ItemStatus.NEW)),
        relevant=Count("pk", filter=Q(status=ItemStatus.RELEVANT)),
        not_relevant=Count("pk", filter=Q(status=ItemStatus.NOT_RELEVANT)),
    )
