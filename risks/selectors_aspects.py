"""Reads of the environmental aspects register for its pages and the management review."""

from __future__ import annotations

from risks.models import EnvironmentalAspect


def environmental_aspect_queryset():
    """Environmental aspects with what every list and detail shows, in one query."""
    return EnvironmentalAspect.objects.select_related("site", "process", "owner")


def significant_aspects(*, user):
    """The active significant aspects the user may see, most significant first (one query),
    for the management review (ISO 14001 § 9.3)."""
    return (
        environmental_aspect_queryset().restrict(user, "view")
        .filter(is_significant=True, archived_at__isnull=True)
        .order_by("-score", "site__name", "pk")
    )

