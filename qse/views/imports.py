"""The generic import page: upload, confirm the columns, confirm the values (choices and
referenced records, the missing ones created on confirmation), import all or nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qse import import_values, imports
from qse.fields import hidden_fields
from qse.forms import ImportUploadForm
from qse.models import Site
from qse.permissions import can
from qse.views.generic import DeclaredView

# What the error report shows of one message (a form's message may quote the whole cell).
MESSAGE_CHARACTERS = 300
VALUE_PREFIX = "value:"


class ObjectImportView(DeclaredView):
    verb = "add"

    def check(self):
        if not can(self.request.user, "add", self.d.model):
            raise PermissionDenied(_("You are not allowed to do this."))

    def get(self, request):
        self.check()
        return self.page(upload_form=ImportUploadForm())

    def post(self, request):
        self.check()
        if "token" in request.POST:
            return self.map_and_import(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(upload_form=form, status=400)
        try:
            content = imports.read_upload(form.cleaned_data["file"])
            frame = imports.read_table(content, form.cleaned_data["file"].name)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
            return self.page(upload_form=form, status=400)
        token = imports.pending_save(content=content, **self.owner())
        mapping = imports.propose_mapping(list(frame.columns), self.form_class(), self.import_fields())
        return self.page(token=token, frame=frame, mapping=mapping, step="columns")

    def map_and_import(self, request):
        token = request.POST["token"]
        content = imports.pending_read(token=token, **self.owner())
        if content is None:
            messages.error(request, _("The uploaded file has expired; please upload it again."))
            return HttpResponseRedirect(request.path)
        frame = imports.read_table(content, "")
        allowed = set(self.import_fields())
        mapping = {c: f for c in frame.columns if (f := request.POST.get(f"map_{c}", "")) in allowed}
        step = request.POST.get("step", "columns")
        if step == "back":
            return self.page(token=token, frame=frame, mapping=mapping, step="columns")
        plan = import_values.value_plan(frame=frame, mapping=mapping, form_class=self.form_class(), user=request.user)
        if step != "values" and import_values.needs_confirmation(plan):
            return self.page(token=token, frame=frame, mapping=mapping, plan=plan, step="values")
        decisions = self.decisions(plan) if step == "values" else {}
        site = self.creation_site(plan)
        result = imports.validate_and_import(
            frame=frame, mapping=mapping, form_class=self.form_class(), user=request.user, acting_user=request.user,
            save=self.d.import_save, decisions=decisions, site=site,
        )
        if result.errors:
            self.show_decisions(plan, decisions)
            return self.page(token=token, frame=frame, mapping=mapping, plan=plan, errors=result.errors,
                             step="values", chosen_site=site, status=400)
        imports.pending_delete(token=token, **self.owner())
        self.report(result)
        return HttpResponseRedirect(reverse(self.d.url_name("list")))

    def decisions(self, plan) -> dict:
        """The value step's answers, only for the wordings it showed."""
        shown = {(column.field, w.key) for column in plan for w in column.wordings}
        decisions: dict[str, dict[str, str]] = {}
        for name, value in self.request.POST.items():
            if name.startswith(VALUE_PREFIX):
                field_name, _colon, key = name[len(VALUE_PREFIX):].partition(":")
                if (field_name, key) in shown:
                    decisions.setdefault(field_name, {})[key] = value
        return decisions

    @staticmethod
    def show_decisions(plan, decisions: dict) -> None:
        """The value step shown again after errors keeps what the user chose."""
        for column in plan:
            for wording in column.wordings:
                if wording.key in decisions.get(column.field, {}):
                    wording.proposed = decisions[column.field][wording.key]

    def creation_site(self, plan):
        """The site of the records created that need one (work units): the one chosen on the
        value step, else the organization's first."""
        if not any(column.needs_site for column in plan):
            return None
        sites = self.sites()
        chosen = self.request.POST.get("site", "")
        return next((site for site in sites if str(site.pk) == chosen), sites[0] if sites else None)

    def sites(self) -> list:
        return list(Site.objects.restrict(self.request.user, "view").filter(archived_at__isnull=True))

    def report(self, result) -> None:
        text = ngettext("{count} row imported.", "{count} rows imported.", result.created)
        messages.success(self.request, text.format(count=result.created))
        if result.references:
            messages.info(self.request, ngettext(
                "{count} missing record was created.", "{count} missing records were created.", result.references,
            ).format(count=result.references))

    def form_class(self):
        return self.d.import_form_class()

    def import_fields(self) -> list[str]:
        """The declared import fields, less those the user may not see."""
        hidden = hidden_fields(self.request.user, self.d.model)
        return [name for name in self.d.import_fields if name not in hidden]

    def owner(self) -> dict:
        """Whose pending upload: a token is only ever read back by its uploader."""
        return {"organization_id": self.request.organization.pk, "user_id": self.request.user.pk}

    def page(self, status=200, frame=None, mapping=None, errors=(), plan=(), **extra):
        form_class = self.form_class()
        fields = [(name, form_class.base_fields[name].label) for name in self.import_fields()]
        labels = dict(fields)
        context = self.context(
            fields=fields,
            columns=[(c, (mapping or {}).get(c, "")) for c in frame.columns] if frame is not None else [],
            mapped=[(c, f, labels[f]) for c, f in (mapping or {}).items() if f],
            # Cells, messages and column names are clipped: the page never echoes a whole cell.
            preview=[(number, [imports.clip(cell) for cell in row])
                     for number, row in zip(frame.index[:5], frame.head(5).values.tolist(), strict=True)]
            if frame is not None else [],
            row_count=len(frame) if frame is not None else 0,
            header_row=frame.attrs.get("header_row") if frame is not None else None,
            plan=plan,
            sites=self.sites() if any(column.needs_site for column in plan) else [],
            create_value=import_values.CREATE,
            errors=[imports.RowError(e.row, imports.clip(e.field), imports.clip(e.message, MESSAGE_CHARACTERS),
                                     imports.clip(e.column)) for e in errors],
            **extra,
        )
        return render(self.request, "qse/object_import.html", context, status=status)
