"""Similar past events, shown while a new one is typed (HTMX partial of the event form)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from nonconformities import similar
from nonconformities.models import Event


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def event_similar(request):
    """GET ``title``, ``description``, ``exclude`` (the event being edited), optionally
    ``process`` and ``product`` to flag possible recurrences."""
    params = request.GET
    exclude = _int(params.get("exclude"))
    text = f"{params.get('title', '')} {params.get('description', '')}"
    events = similar.similar_events(user=request.user, text=text, exclude_pk=exclude) if request.membership else []
    process_id, product = _int(params.get("process")), params.get("product", "")
    if exclude and events and not (process_id or product):
        current = Event.objects.restrict(request.user, "view").filter(pk=exclude).values("process_id", "product").first()
        if current:
            process_id, product = current["process_id"], current["product"]
    recurrences = similar.possible_recurrences(events, process_id=process_id, product=product)
    context = {"events": events, "recurrence_pks": {event.pk for event in recurrences}}
    return render(request, "nonconformities/_similar_events.html", context)


urlpatterns = [path("similar/", event_similar, name="event_similar")]
