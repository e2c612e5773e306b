"""The invitation to a work session: an e-mail carrying an iCalendar REQUEST (RFC 5546), so
mail clients offer to add it to the calendar. The UID is stable per session and the SEQUENCE
is the session's version, so a second sending updates the event instead of duplicating it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from qse.labels import person_label


def session_uid(session) -> str:
    return f"work-session-{session.pk}@pilote-qse"


def session_calendar(*, session, organizer, people) -> bytes:
    """The .ics of one session: one VEVENT, METHOD:REQUEST, every invited person an attendee."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pilote QSE//work sessions//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.version)
    event.add("summary", f"{session.team} · {session.title}")
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.starts_at + datetime.timedelta(minutes=session.duration_minutes))
    event.add("dtstamp", timezone.now())
    if session.place:
        event.add("location", session.place)
    event.add("description", session.agenda or session.title)
    event.add("url", settings.SITE_URL.rstrip("/") + session.get_absolute_url())
    if organizer is not None and organizer.email:
        event["organizer"] = _address(organizer)
    for person in people:
        attendee = _address(person)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["RSVP"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def _address(person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person_label(person))
    return address


def invitation_email(*, session, organizer, people) -> EmailMessage:
    """The e-mail (in the sender's language) with the .ics attached as text/calendar."""
    when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    subject = "[Pilote QSE] " + _("Invitation: {title}, {when}").format(title=session.title, when=when)
    body = _(
        "You are invited to the session \"{title}\" of the team {team} on {when} ({minutes} min), place: {place}.\n\n"
        "Agenda:\n{agenda}\n\n{url}"
    ).format(title=session.title, team=session.team, when=when, minutes=session.duration_minutes,
             place=session.place or "-", agenda=session.agenda or "-",
             url=settings.SITE_URL.rstrip("/") + session.get_absolute_url())
    message = EmailMessage(subject=subject, body=body, to=[person.email for person in people])
    message.attach("invitation.ics", session_calendar(session=session, organizer=organizer, people=people),
                   "text/calendar; method=REQUEST; charset=utf-8")
    return message
