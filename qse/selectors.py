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


def unread_count(user, limit: int = 99) -> int:
    """How many unread notifications the user has in the current organization, counted in SQL
    up to ``limit``: the bell of every page. A notification is seen by its recipient alone
    (qse/roles.py: ``view`` is ``own``, by ``recipient``), so the recipient's own rows are the
    ones ``restrict()`` gives; asked directly, the query leaves out restrict()'s subquery of
    per-object grants (its planning alone cost 0.8 ms a page) and the sort a list needs."""
    if not can(user, "view", Notification):
        return 0
    rows = Notification.objects.in_current_organization().filter(recipient=user, read_at__isnull=True)
    return rows.order_by()[:limit].count()


def process_map_of(user) -> list[tuple[str, list]]:
    """Processes grouped in the three bands of a process map, in one query."""
    from qse.models import Process, ProcessKind

    processes = list(
        Process.objects.restrict(user, "view").filter(archived_at__isnull=True).select_related("owner", "parent")
    )
    return [(label, [p for p in processes if p.kind == kind]) for kind, label in ProcessKind.choices]
