"""Records matching a search, for the search box of a large choice (qse/widgets.py)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from qse.labels import person_label
from qse.models import ScopedModel
from qse.permissions import can

RESULTS = 20
# The fields a record is found by, in the order people type them.
SEARCHED = ("reference", "code", "name", "title", "full_name")
PEOPLE_SEARCHED = ("first_name", "last_name", "username", "email")


def _model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if model is not get_user_model() and not issubclass(model, ScopedModel):
        raise Http404  # only the records the choice fields offer
    return model


def _queryset(request, model):
    if model is get_user_model():
        from qse.forms import members_queryset

        return members_queryset(), PEOPLE_SEARCHED, person_label
    if not can(request.user, "view", model):
        raise PermissionDenied(_("You are not allowed to do this."))
    fields = [f for f in SEARCHED if any(field.name == f for field in model._meta.concrete_fields)]
    return model.objects.restrict(request.user, "view").filter(archived_at__isnull=True), fields, str


@login_required
def choices(request, model_label: str):
    """Up to 20 records the user may see whose name, title, code or reference holds ``q``."""
    if request.membership is None:
        raise PermissionDenied(_("You are not a member of any organization."))
    queryset, fields, label = _queryset(request, _model(model_label))
    words = request.GET.get("q", "").split()
    for word in words[:5]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    results = [{"id": obj.pk, "label": label(obj)} for obj in queryset[:RESULTS]]
    return JsonResponse({"results": results})
