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
    # The form an imported row is checked with, when it takes more than the page's form
    # (the Document unique's prevention plan columns): defaults to ``form``.
    import_form = None
    nav_block: str | None = None
    nav_order = 50
    url_prefix: str | None = None  # defaults to "<model_name>s"
    per_page = 25
    # A child record lives under a parent record: ``("event", Event, "event")`` is (the URL
    # keyword's stem, the parent model, the child's foreign key to it). Its pages and API
    # routes are nested under the parent's (``events/<event_pk>/whys/``), the parent is
    # found through ``restrict()`` (404 otherwise) and the add right is asked on a new
    # child that knows its parent (an ownership rule through the parent applies).
    parent: tuple[str, type, str] | None = None
    detail_exclude = ("id", "organization", "version", "archived_at", "created_by", "updated_at")

    @classmethod
    def get_queryset(cls, request):
        return cls.model.objects.all()

    @classmethod
    def table_name(cls) -> str:
        """The list's key for a person's choice of columns (``TableConfig.table_name``)."""
        return cls.model._meta.label_lower

    @classmethod
    def parent_kwarg(cls) -> str:
        return f"{cls.parent[0]}_pk"

    @classmethod
    def parent_queryset(cls, request):
        """The parents the user may see: a child route under any other parent is a 404."""
        from qse.registry import declaration_for

        model = cls.parent[1]
        declaration = declaration_for(model)
        queryset = declaration.get_queryset(request) if declaration else model.objects.all()
        return queryset.restrict(request.user, "view")

    @classmethod
    def new_child(cls, parent, **initial):
        """An unsaved child of ``parent``: what ``can(user, "add", ...)`` is asked about."""
        return cls.model(**initial, **{cls.parent[2]: parent, "organization_id": parent.organization_id})

    @classmethod
    def url_args(cls, obj=None, parent=None) -> list:
        """The positional URL arguments of a page: [parent pk] + [object pk]."""
        args = []
        if cls.parent:
            args.append(parent.pk if parent is not None else getattr(obj, f"{cls.parent[2]}_id"))
        return args + ([obj.pk] if obj is not None else [])

    @classmethod
    def route_prefix(cls) -> str:
        """``events/`` for a top-level model, ``events/<int:event_pk>/whys/`` for a child."""
        own = f"{cls.url_prefix or cls.model._meta.model_name + 's'}/"
        if not cls.parent:
            return own
        from qse.registry import registered_declaration

        # Looked up without discovery: URL confs are built while the views modules import.
        parent = registered_declaration(cls.parent[1])
        parent_prefix = parent.route_prefix() if parent else f"{cls.parent[1]._meta.model_name}s/"
        return f"{parent_prefix}<int:{cls.parent_kwarg()}>/{own}"

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
    def import_form_class(cls):
        return cls.import_form or cls.form

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
    def archive(cls, request, instance, reason: str = ""):
        return services.object_archive(obj=instance, acting_user=request.user, reason=reason)

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
        if cls.import_fields and not cls.parent:
            views.append(("import/", imports.ObjectImportView, "import"))
        prefix = cls.route_prefix()
        return [path(f"{prefix}{route}", view.as_view(d=cls), name=f"{name}_{kind}") for route, view, kind in views]
