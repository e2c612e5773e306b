"""In-app notifications and e-mail, used by reminders and any module."""

from django.utils import timezone

from qse.models import Notification


def notifications_of(user, limit: int = 100):
    """The user's notifications in the current organization, newest first."""
    return list(Notification.objects.restrict(user, "view").filter(recipient=user).order_by("-created_at")[:limit])


def notifications_mark_read(*, user) -> int:
    return Notification.objects.restrict(user, "change").filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
