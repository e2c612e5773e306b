"""``ObjectViews``: the declaration of one model's pages (and, through it, its API)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.urls import path

from qse import services
from qse.labels import choice_labels


class ObjectViews:
    """Declare ``model``, ``table``, ``form`` (and optionally ``filterset``, ``queryset``,
    ``import_fields``, ``serializer``); URLs, navigation, export, import and the API follow."""

    model = None
    table = None
    form = None
    filterset = None
    serializer = None
    api_mixins: tuple = ()  # extra API actions (workflow steps) for this model
    import_fields: list[str] = []
    nav_block: str | None = None
    nav_order = 50
    url_prefix: str | None = None  # defaults to "<model_name>s"
    per_page = 25
    detail_exclude = ("id", "organization", "version", "archived_at", "created_by", "updated_at")

    @classmethod
    def get_queryset(cls, request):
        return cls.model.objects.all()

    @classmethod
    def table_name(cls) -> str:
        """The list's key for a person's choice of columns (``TableConfig.table_name``)."""
        return cls.model._meta.label_lower

    @classmethod
    def url_name(cls, kind: str) -> str:
        meta = cls.model._meta
        return f"{meta.app_label}:{meta.model_name}_{kind}"

    @classmethod
    def detail_fields(cls, obj, hidden=frozenset()) -> list[tuple[str, object]]:
        """(label, value) of the fields the page shows; ``hidden`` are those the user may not see."""
        rows = []
        for field in obj._meta.concrete_fields:
            if field.name in cls.detail_exclude or field.name.endswith("_type") or field.name.endswith("_id"):
                continue
            if field.name in hidden:
                continue
            display = getattr(obj, f"get_{field.name}_display", None)
            value = display() if display else getattr(obj, field.name)
            if isinstance(field, ArrayField) and field.base_field.choices:
                value = choice_labels(field, value)  # labels, not a Python list
            rows.append((field.verbose_name, value))
        return rows

    @classmethod
    def detail_context(cls, request, obj) -> dict:
        return {}

    @classmethod
    def initial_for(cls, request) -> dict:
        return {}

    @classmethod
    def create(cls, request, data: dict):
        return services.object_create(model=cls.model, acting_user=request.user, data=data)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        """How imported rows are written (inside the import's transaction)."""
        from qse.imports import bulk_save

        bulk_save(instances, acting_user)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.object_update(
            obj=instance, acting_user=request.user, data=data, expected_version=expected_version
        )

    @classmethod
    def urls(cls) -> list:
        from qse.views import generic, imports

        name = cls.model._meta.model_name
        views = [
            ("", generic.ObjectListView, "list"),
            ("add/", generic.ObjectEditView, "add"),
            ("<int:pk>/", generic.ObjectDetailView, "detail"),
            ("<int:pk>/edit/", generic.ObjectEditView, "edit"),
            ("<int:pk>/archive/", generic.ObjectArchiveView, "archive"),
        ]
        if cls.import_fields:
            views.append(("import/", imports.ObjectImportView, "import"))
        return [
            path(f"{cls.url_prefix or name + 's'}/{route}", view.as_view(d=cls), name=f"{name}_{kind}")
            for route, view, kind in views
        ]
