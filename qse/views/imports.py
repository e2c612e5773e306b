"""The generic import page: upload, map columns on screen, validate, import all or nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qse import imports
from qse.fields import hidden_fields
from qse.forms import ImportUploadForm
from qse.permissions import can
from qse.views.generic import DeclaredView

# What the error report shows of one message (a form's message may quote the whole cell).
MESSAGE_CHARACTERS = 300


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
        mapping = imports.propose_mapping(list(frame.columns), self.d.form, self.import_fields())
        return self.page(token=token, frame=frame, mapping=mapping)

    def map_and_import(self, request):
        token = request.POST["token"]
        content = imports.pending_read(token=token, **self.owner())
        if content is None:
            messages.error(request, _("The uploaded file has expired; please upload it again."))
            return HttpResponseRedirect(request.path)
        frame = imports.read_table(content, "")
        allowed = set(self.import_fields())
        mapping = {c: f for c in frame.columns if (f := request.POST.get(f"map_{c}", "")) in allowed}
        result = imports.validate_and_import(
            frame=frame, mapping=mapping, form_class=self.d.form, user=request.user, acting_user=request.user,
            save=self.d.import_save,
        )
        if result.errors:
            return self.page(token=token, frame=frame, mapping=mapping, errors=result.errors, status=400)
        imports.pending_delete(token=token, **self.owner())
        text = ngettext("{count} row imported.", "{count} rows imported.", result.created)
        messages.success(request, text.format(count=result.created))
        return HttpResponseRedirect(reverse(self.d.url_name("list")))

    def import_fields(self) -> list[str]:
        """The declared import fields, less those the user may not see."""
        hidden = hidden_fields(self.request.user, self.d.model)
        return [name for name in self.d.import_fields if name not in hidden]

    def owner(self) -> dict:
        """Whose pending upload: a token is only ever read back by its uploader."""
        return {"organization_id": self.request.organization.pk, "user_id": self.request.user.pk}

    def page(self, status=200, frame=None, mapping=None, errors=(), **extra):
        fields = [(name, self.d.form.base_fields[name].label) for name in self.import_fields()]
        context = self.context(
            fields=fields,
            columns=[(c, (mapping or {}).get(c, "")) for c in frame.columns] if frame is not None else [],
            # Cells, messages and column names are clipped: the page never echoes a whole cell.
            preview=[[imports.clip(cell) for cell in row] for row in frame.head(5).values.tolist()]
            if frame is not None else [],
            row_count=len(frame) if frame is not None else 0,
            errors=[imports.RowError(e.row, imports.clip(e.field), imports.clip(e.message, MESSAGE_CHARACTERS))
                    for e in errors],
            **extra,
        )
        return render(self.request, "qse/object_import.html", context, status=status)
