"""API routes generated from the view registry, plus the operations that are not a declared
model's CRUD (registered by the apps through ``register_api`` / ``register_api_path``)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from qse.api.children import api_prefix, child_viewset_for
from qse.api.operations import (
    AttachmentViewSet,
    ImportApiMixin,
    MeView,
    NotificationsReadView,
    PeopleViewSet,
    ReportViewSet,
)
from qse.api.people import (
    InvitationViewSet,
    MembershipViewSet,
    MyProfileView,
    OrganizationProfileView,
)
from qse.api.viewsets import viewset_for
from qse.registry import api_paths, api_viewsets, declarations


def declared_viewset(declaration):
    """A declared model's viewset; nested under its parent for a child; with the import
    operations when the model is importable."""
    viewset = child_viewset_for(declaration) if declaration.parent else viewset_for(declaration)
    if declaration.import_fields:
        viewset = type(viewset.__name__, (ImportApiMixin, viewset), {"__doc__": viewset.__doc__})
    return viewset


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for declaration in declarations():
        if declaration.serializer is None:
            continue
        meta = declaration.model._meta
        router.register(api_prefix(declaration), declared_viewset(declaration), basename=f"{meta.app_label}-{meta.model_name}")
    router.register("people", PeopleViewSet, basename="people")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("invitations", InvitationViewSet, basename="invitation")
    router.register("reports", ReportViewSet, basename="report")
    router.register("attachments", AttachmentViewSet, basename="attachment")
    for prefix, viewset, basename in api_viewsets():
        router.register(prefix, viewset, basename=basename)
    return router


urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/profile/", MyProfileView.as_view(), name="api-me-profile"),
    path("organization/", OrganizationProfileView.as_view(), name="api-organization"),
    path("notifications/read/", NotificationsReadView.as_view(), name="api-notifications-read"),
    *(path(route, view, name=name) for route, view, name in api_paths()),
    path("", include(build_router().urls)),
]
