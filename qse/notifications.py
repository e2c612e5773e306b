"""In-app notifications and e-mail, used by reminders and any module."""

from django.utils import timezone

from qse.models import Notification


def notifications_of(user, limit: int = 100):
    """The user's notifications in the current organization, newest first."""
    return list(Notification.objects.restrict(user, "view").filter(recipient=user).order_by("-created_at")[:limit])


def notifications_mark_read(*, user) -> int:
    return Notification.objects.restrict(user, "change").filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notify(*, recipient, title: str, body: str = "", url: str = "") -> Notification | None:
    """Tell one member something in the app and by e-mail (sent once the transaction commits,
    so a rolled-back write sends nothing). Written in the current organization; None when
    there is no one to tell (an account-less author)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.db import transaction

    from qse.tenancy import current_organization

    if recipient is None:
        return None
    notification = Notification.objects.create(
        organization=current_organization(), recipient=recipient, title=title[:255], body=body, url=url,
    )
    if recipient.email:
        message = EmailMessage(subject=f"[Pilote QSE] {title}", body=f"{body}\n\n{settings.SITE_URL}{url}".strip(),
                               to=[recipient.email])
        transaction.on_commit(message.send)
    return notification
