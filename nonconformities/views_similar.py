"""Similar past events, shown while a new one is typed (being built)."""

from django.http import HttpResponse
from django.urls import path


def event_similar(request):
    return HttpResponse("")


urlpatterns = [path("similar/", event_similar, name="event_similar")]
