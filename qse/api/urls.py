"""API routes generated from the view registry."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from qse.api.viewsets import viewset_for
from qse.registry import declarations


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for declaration in declarations():
        if declaration.serializer is None:
            continue
        meta = declaration.model._meta
        router.register(
            f"{meta.app_label}/{declaration.url_prefix or meta.model_name + 's'}", viewset_for(declaration), basename=f"{meta.app_label}-{meta.model_name}"
        )
    return router


urlpatterns = [path("", include(build_router().urls))]
