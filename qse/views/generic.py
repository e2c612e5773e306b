"""Generic views: list, detail, create/edit, archive, import. A model's views are declared
once in an ``ObjectViews`` subclass; these classes do the rest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from qse import exports, services
from qse.fields import hidden_fields, touches_hidden
from qse.history import object_history
from qse.permissions import can
from qse.selectors import attachments_of
from qse.table_config import apply_table_config, choosable
from qse.uploads import may_attach

# The spreadsheets the lists offer; the other formats tablib knows are not offered.
EXPORT_FORMATS = ("csv", "xlsx")


class DeclaredView(LoginRequiredMixin, View):
    """A view configured by a declaration (``self.d``)."""

    d = None  # the ObjectViews declaration
    verb = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.membership is None:
            raise PermissionDenied(_("You are not a member of any organization."))
        if request.user.is_authenticated and not can(request.user, "view", self.d.model):
            raise PermissionDenied(_("You are not allowed to do this."))  # a model the role may not see at all
        return super().dispatch(request, *args, **kwargs)

    def get_parent(self):
        """A child's parent record, through ``restrict()``: another organization's is a 404."""
        if not self.d.parent:
            return None
        if not hasattr(self, "_parent"):
            self._parent = get_object_or_404(self.d.parent_queryset(self.request), pk=self.kwargs[self.d.parent_kwarg()])
        return self._parent

    def queryset(self, verb: str | None = None):
        queryset = self.d.get_queryset(self.request).restrict(self.request.user, verb or self.verb)
        if self.d.parent:
            queryset = queryset.filter(**{self.d.parent[2]: self.get_parent()})
        return queryset

    def list_url(self) -> str:
        return reverse(self.d.url_name("list"), args=self.d.url_args(parent=self.get_parent()))

    def get_object(self, verb: str | None = None):
        """404 for what the user cannot see (other organization included): no existence oracle."""
        obj = get_object_or_404(self.queryset("view"), pk=self.kwargs["pk"])
        wanted = verb or self.verb
        if wanted != "view" and not can(self.request.user, wanted, obj):
            raise PermissionDenied(_("You are not allowed to do this."))
        return obj

    def template(self, suffix: str, generic: str):
        meta = self.d.model._meta
        return select_template([f"{meta.app_label}/{meta.model_name}{suffix}.html", generic])

    def context(self, **extra) -> dict:
        return {"d": self.d, "meta": self.d.model._meta, "parent": self.get_parent(), **extra}

    def may_add(self) -> bool:
        """The add right, asked of a child with its parent known (ownership through the parent)."""
        parent = self.get_parent()
        if parent is None:
            return can(self.request.user, "add", self.d.model)
        return can(self.request.user, "add", self.d.model) and can(self.request.user, "add", self.d.new_child(parent))


def hidden_columns(table_class, user) -> list[str]:
    """Columns of a table that show or sort by a field the user may not see."""
    hidden = hidden_fields(user, table_class._meta.model)
    if not hidden:
        return []
    return [
        name for name, column in table_class.base_columns.items()
        if any(touches_hidden(str(path), hidden) for path in (name, column.accessor or "", *(column.order_by or ())))
    ]


class ObjectListView(DeclaredView):
    def get(self, request, **kwargs):
        queryset = self.queryset()
        if request.GET.get("archived") != "1":
            queryset = queryset.filter(archived_at__isnull=True)
        filterset = self.d.filterset(request.GET, queryset=queryset, request=request) if self.d.filterset else None
        rows = filterset.qs if filterset is not None else queryset
        # A column (so its sort key and its export) over a field the user may not see is left out.
        # Configured once below (a table built with the request would sort and count it twice).
        table = self.d.table(rows, exclude=hidden_columns(self.d.table, request.user))
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            RequestConfig(request, paginate=False).configure(table)  # the user's sort, every row
            return self.export_response(table, export_format)
        RequestConfig(request, paginate={"per_page": self.d.per_page}).configure(table)
        # After the export branch: an export keeps every column, the page shows the user's choice.
        visible = apply_table_config(table, user=request.user, table_name=self.d.table_name())
        context = self.context(table=table, filterset=filterset, can_add=self.may_add(),
                               columns=choosable(table), visible_columns=visible)
        if request.htmx and request.htmx.target == "object-table":
            return render(request, "qse/_object_table.html", context)
        return render(request, self.template("_list", "qse/object_list.html").template.name, context)

    def export_response(self, table, export_format):
        name = str(self.d.model._meta.verbose_name_plural).replace(" ", "_")
        return exports.table_response(table, export_format, f"{name}.{export_format}", exclude_columns=("actions",))


class ObjectDetailView(DeclaredView):
    def get(self, request, pk, **kwargs):
        obj = self.get_object()
        context = self.context(
            object=obj,
            fields=self.d.detail_fields(obj, hidden=hidden_fields(request.user, type(obj))),
            history=object_history(obj, user=request.user),
            attachments=attachments_of(obj, request.user),
            may_attach=may_attach(request.user, obj),
            can_change=can(request.user, "change", obj),
            can_archive=can(request.user, "archive", obj),
            **self.d.detail_context(request, obj),
        )
        return render(request, self.template("", "qse/object_detail.html").template.name, context)


class ObjectEditView(DeclaredView):
    """Create (no pk) or edit (pk) with optimistic locking: a stale form is a 409 conflict."""

    verb = "change"

    def get_instance(self):
        if "pk" in self.kwargs:
            return self.get_object("change")
        if not self.may_add():
            raise PermissionDenied(_("You are not allowed to do this."))
        parent = self.get_parent()
        initial = self.d.initial_for(self.request)
        return self.d.new_child(parent, **initial) if parent is not None else self.d.model(**initial)

    def get(self, request, pk=None, **kwargs):
        instance = self.get_instance()
        form = self.d.form(instance=instance, user=request.user, initial=request.GET.dict() if not instance.pk else None)
        return self.render_form(form, instance)

    def post(self, request, pk=None, **kwargs):
        instance = self.get_instance()
        form = self.d.form(request.POST, instance=instance, user=request.user)
        if not form.is_valid():
            return self.render_form(form, instance, status=400)
        try:
            obj = self.save(form, instance)
        except services.ConflictError as conflict:
            return self.render_conflict(form, conflict.current)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, instance, status=400)
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(obj.get_absolute_url())

    def save(self, form, instance):
        if instance.pk:
            return self.d.update(self.request, instance, form.changes(), form.expected_version)
        data = form.changes()
        if self.d.parent:
            data[self.d.parent[2]] = self.get_parent()
        return self.d.create(self.request, data)

    def render_form(self, form, instance, status=200):
        context = self.context(form=form, object=instance if instance.pk else None)
        return render(request=self.request, template_name=self.template("_form", "qse/object_form.html").template.name, context=context, status=status)

    def render_conflict(self, form, current):
        fields = [
            (form[name].label, form.cleaned_data.get(name), getattr(current, name))
            for name in form.changed_data
            if name in form.cleaned_data and name != "version"
        ]
        context = self.context(object=current, fields=fields, form=self.d.form(instance=current, user=self.request.user))
        return render(self.request, "qse/conflict.html", context, status=409)


class ObjectArchiveView(DeclaredView):
    verb = "archive"

    def get(self, request, pk, **kwargs):
        return render(request, "qse/object_archive.html", self.context(object=self.get_object()))

    def post(self, request, pk, **kwargs):
        obj = self.get_object()
        try:
            self.d.archive(request, obj, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Archived."))
        return HttpResponseRedirect(self.list_url())
