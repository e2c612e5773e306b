"""API routes generated from the view registry."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from qse.api.children import api_prefix, child_viewset_for
from qse.api.viewsets import viewset_for
from qse.registry import declarations


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for declaration in declarations():
        if declaration.serializer is None:
            continue
        meta = declaration.model._meta
        viewset = child_viewset_for(declaration) if declaration.parent else viewset_for(declaration)
        router.register(api_prefix(declaration), viewset, basename=f"{meta.app_label}-{meta.model_name}")
    return router


urlpatterns = [path("", include(build_router().urls))]
