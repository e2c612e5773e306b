"""Shared reads."""

from django.contrib.contenttypes.models import ContentType

from qse.models import Attachment, Notification
from qse.permissions import can


def attachments_of(obj, user):
    """Attachments of a record, for a user who may see the record (none otherwise: an
    attachment is seen exactly with its record)."""
    if not can(user, "view", obj):
        return []
    return list(
        Attachment.objects.in_current_organization()
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, archived_at__isnull=True)
        .select_related("uploaded_by")
    )


def unread_notifications(user, limit: int = 10):
    """The user's unread notifications in the current organization."""
    queryset = Notification.objects.restrict(user, "view").filter(recipient=user, read_at__isnull=True)
    return queryset.order_by("-created_at")[:limit]


def process_map_of(user) -> list[tuple[str, list]]:
    """Processes grouped in the three bands of a process map, in one query."""
    from qse.models import Process, ProcessKind

    processes = list(
        Process.objects.restrict(user, "view").filter(archived_at__isnull=True).select_related("owner", "parent")
    )
    return [(label, [p for p in processes if p.kind == kind]) for kind, label in ProcessKind.choices]
