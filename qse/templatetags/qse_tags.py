import datetime

from django import template
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from qse import permissions
from qse.labels import person_label
from qse.selectors import unread_count as unread_notification_count

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, verb, obj):
    """{% can "change" object as allowed %}: the same answer as the API and the views."""
    return permissions.can(context["request"].user, verb, obj)


@register.simple_tag(takes_context=True)
def can_add(context, model_label: str) -> bool:
    """{% can_add "app.Model" as allowed %}: whether the user may create such a record, for the
    "add" buttons a page offers on another model than its own."""
    return permissions.can(context["request"].user, "add", apps.get_model(model_label))


@register.simple_tag
def content_type_id(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    request = context["request"]
    if not getattr(request, "membership", None):
        return 0
    # Counted in SQL (at most 99): the rows themselves are not shown on every page.
    return unread_notification_count(request.user, limit=99)


@register.filter
def show(value):
    """A record's value for people: names for users, links for related records, — for empty."""
    if value is None or value == "":
        return "—"
    if isinstance(value, models.Model) and hasattr(value, "get_full_name"):
        return person_label(value)
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    return value
