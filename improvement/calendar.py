"""The private iCalendar feed of a user's deadlines.

The URL carries a signed token naming the user and organization; it is salted with the
user's password hash, so changing the password revokes every feed URL.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404
from django.urls import reverse
from icalendar import Calendar, Event

from improvement import selectors
from qse import tenancy
from qse.models import Membership

SALT = "pilote-qse.calendar"


def _signer(user) -> signing.Signer:
    # The salt changes with the password hash: a new password revokes every feed URL.
    return signing.Signer(salt=f"{SALT}:{user.password[-16:]}")


def feed_path(user, organization) -> str:
    """The private feed URL (path) of ``user``'s deadlines in ``organization``."""
    value = signing.b64_encode(f"{user.pk}:{organization.pk}".encode()).decode()
    return reverse("improvement:calendar_feed", args=[_signer(user).sign(value)])


def _membership_for(token: str) -> Membership:
    """The active membership a token names; 404 for anything forged, stale or revoked."""
    try:
        value = token.rsplit(":", 1)[0]
        user_id, organization_id = (int(x) for x in signing.b64_decode(value.encode()).decode().split(":"))
        user = get_user_model().objects.get(pk=user_id, is_active=True)
        _signer(user).unsign(token)
    except (ValueError, get_user_model().DoesNotExist, signing.BadSignature) as exc:
        raise Http404 from exc
    tenancy.set_database_user(user.pk)
    membership = Membership.objects.select_related("organization", "user").filter(
        user=user, organization_id=organization_id, is_active=True
    ).first()
    if membership is None:
        raise Http404
    return membership


def feed_for_token(token: str) -> bytes:
    """The iCalendar document: the token's user's open actions in its organization."""
    membership = _membership_for(token)
    tenancy.activate(membership)
    calendar = Calendar()
    calendar.add("prodid", "-//Pilote QSE//actions//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Pilote QSE · {membership.organization}")
    for action in selectors.actions_for_calendar(user=membership.user):
        calendar.add_component(_event(action))
    return calendar.to_ical()


def _event(action) -> Event:
    """An all-day event on the due date; the UID is stable so calendars update it."""
    event = Event()
    event.add("uid", f"action-{action.pk}@pilote-qse")
    event.add("summary", action.title)
    event.add("dtstart", action.due_on)
    event.add("dtend", action.due_on + datetime.timedelta(days=1))
    event.add("dtstamp", action.updated_at)
    event.add("description", action.deliverable or action.description)
    return event
