"""Form base: related-object choices come from ``restrict()``, users from the members of
the current organization, and the version read is carried for optimistic locking."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qse.fields import hidden_fields
from qse.labels import person_label
from qse.models import ScopedModel
from qse.tenancy import current_organization
from qse.widgets import use_search_select


def members_queryset():
    """Users who are active members of the current organization (for owner fields)."""
    organization = current_organization()
    return (
        get_user_model()
        .objects.filter(memberships__organization=organization, memberships__is_active=True, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    """A choice of person, labelled by full name (forms and list filters)."""

    def label_from_instance(self, user) -> str:
        return person_label(user)


class ScopedModelForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name in hidden_fields(user, self._meta.model) & set(self.fields):
            del self.fields[name]  # a field the user may not see is neither shown nor written
        for field in self.fields.values():
            self._scope_choices(field)
            self._dress(field)

    def _scope_choices(self, field) -> None:
        if not isinstance(field, forms.ModelChoiceField):
            return
        model = field.queryset.model
        if issubclass(model, ScopedModel):
            field.queryset = model.objects.restrict(self.user, "view").filter(archived_at__isnull=True)
        elif model is get_user_model():
            field.queryset = members_queryset()
            field.label_from_instance = person_label
        use_search_select(field)

    @staticmethod
    def _dress(field) -> None:
        if isinstance(field.widget, forms.DateInput):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("rows", 3)

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return data

    @property
    def expected_version(self):
        return self.cleaned_data.get("version")


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))
