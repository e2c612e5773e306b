"""Reads of the environmental aspects register for its pages and the management review."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

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


def environmental_aspect_actions(*, user, aspect: EnvironmentalAspect):
    """The actions whose origin is this aspect, as the user may see them."""
    from improvement.selectors import action_queryset

    origin_type = ContentType.objects.get_for_model(EnvironmentalAspect)
    return (
        action_queryset().restrict(user, "view")
        .filter(origin_type=origin_type, origin_id=aspect.pk, archived_at__isnull=True)
    )
