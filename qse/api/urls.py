"""API routes generated from the view registry."""

from django.urls import include, path
from django.utils.module_loading import autodiscover_modules
from rest_framework.routers import DefaultRouter

from qse.api.viewsets import viewset_for
from qse.registry import declarations


def build_router() -> DefaultRouter:
    import qse.organization  # noqa: F401  (declares sites and processes)

    autodiscover_modules("views")
    router = DefaultRouter()
    for declaration in declarations():
        if declaration.serializer is None:
            continue
        meta = declaration.model._meta
        router.register(
            f"{meta.app_label}/{meta.model_name}s", viewset_for(declaration), basename=f"{meta.app_label}-{meta.model_name}"
        )
    return router


urlpatterns = [path("", include(build_router().urls))]
