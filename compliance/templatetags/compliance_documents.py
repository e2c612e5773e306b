"""``{% documents_to_read %}``: the documents a person still has to read, with the button to
acknowledge each, for the home pages (to-do, "My actions")."""

from django import template

from compliance.models import DocumentVersion
from compliance.selectors_documents import documents_to_read as to_read
from qse.permissions import can

register = template.Library()

HOME_ROWS = 10


@register.inclusion_tag("compliance/_to_read.html", takes_context=True)
def documents_to_read(context):
    request = context["request"]
    if getattr(request, "membership", None) is None or not can(request.user, "view", DocumentVersion):
        return {"versions": [], "request": request}
    return {"versions": list(to_read(user=request.user)[:HOME_ROWS]), "request": request, "csrf_token": context.get("csrf_token")}
