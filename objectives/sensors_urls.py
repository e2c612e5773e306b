"""The sensor module's pages (the objectives app's urls.py includes them)."""

from django.urls import path

from objectives import sensors_views

urlpatterns = [
    path("devices/<int:pk>/token/", sensors_views.device_token, name="device_token"),
    path("devices/<int:pk>/token/revoke/", sensors_views.device_token_revoke, name="device_token_revoke"),
    *sensors_views.DeviceViews.urls(),
]
