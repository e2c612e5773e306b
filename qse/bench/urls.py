"""The application's URLs plus the floor every page is measured against: a view that returns
a constant behind the same middleware (session, tenancy, RLS transaction)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from qse.urls import urlpatterns as application_urlpatterns


@login_required
def hello(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *application_urlpatterns]
