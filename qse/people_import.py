"""Bulk import of people from a spreadsheet (name, e-mail, role, site, process) through the
generic import (``qse.imports``, its page and API): every row is checked first, then all rows
or none become people of the organization, without an account until invited."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qse.models import Invitation, Membership, Process, Site
from qse.views.declarations import ObjectViews


class PeopleImportForm(forms.ModelForm):
    """One row of the file. Built on the invitation's fields (a person to be), with a single
    site and process per row: the membership's limits."""

    sites = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none(), required=False)
    processes = forms.ModelChoiceField(label=_("process"), queryset=Process.objects.none(), required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)

    class Meta:
        model = Invitation
        fields = ["last_name", "first_name", "email", "role", "sites", "processes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["last_name"].required = True
        self.fields["sites"].queryset = Site.objects.restrict(user, "view").filter(archived_at__isnull=True)
        self.fields["processes"].queryset = Process.objects.restrict(user, "view").filter(archived_at__isnull=True)

    def clean(self):
        data = super().clean()
        # The limits are not columns of the row's instance: they travel with it to the save.
        self.instance.import_limits = {"site": data.get("sites"), "process": data.get("processes")}
        return data


def people_import_save(instances: list, acting_user) -> None:
    """Each row becomes a person of the organization (an account only once invited)."""
    from qse.people import person_create

    for row in instances:
        limits = getattr(row, "import_limits", {})
        person_create(
            email=row.email, first_name=row.first_name, last_name=row.last_name, role=row.role,
            sites=[limits["site"]] if limits.get("site") else [],
            processes=[limits["process"]] if limits.get("process") else [], acting_user=acting_user,
        )


class PeopleImport(ObjectViews):
    """The People page's import: rights are those on memberships (admins add people). Not
    registered: memberships have their own pages, this only lends the generic import."""

    model = Membership
    form = PeopleImportForm
    import_fields = ["last_name", "first_name", "email", "role", "sites", "processes"]

    @classmethod
    def url_name(cls, kind: str) -> str:
        return "qse:people" if kind == "list" else f"qse:people_{kind}"

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        people_import_save(instances, acting_user)
