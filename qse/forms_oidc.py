"""The directory sign-in settings form: fields and input checks only (the service decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qse.roles import Role


def parse_group_roles(text: str) -> dict[str, str]:
    """One "group = role" per line (the role's value or its label); raises ValidationError."""
    labels = {str(label).lower(): str(value) for value, label in Role.choices}
    values = {str(value) for value in Role.values}
    mapping, errors = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        group, sep, role = line.rpartition("=")
        role = role.strip()
        role = role if role in values else labels.get(role.lower(), "")
        if not sep or not group.strip() or not role:
            errors.append(gettext("Line {number}: write “group = role” with a role of the list.").format(number=number))
            continue
        mapping[group.strip()] = role
    if errors:
        raise forms.ValidationError(errors)
    return mapping


def format_group_roles(mapping: dict[str, str]) -> str:
    return "\n".join(f"{group} = {role}" for group, role in sorted(mapping.items()))


class DirectorySignInForm(forms.Form):
    is_enabled = forms.BooleanField(label=_("directory sign-in enabled"), required=False, initial=True)
    display_name = forms.CharField(
        label=_("directory name"), max_length=100,
        help_text=_("Shown on the sign-in button, e.g. “Microsoft Entra ID”."),
    )
    issuer = forms.URLField(
        label=_("issuer"), max_length=300, assume_scheme="https",
        help_text=_("The provider's issuer URL; its discovery document is read at issuer/.well-known/openid-configuration."),
    )
    client_id = forms.CharField(label=_("client ID"), max_length=300)
    client_secret = forms.CharField(
        label=_("client secret"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved; leave empty to keep the current one."),
    )
    allowed_domains = forms.CharField(
        label=_("allowed e-mail domains"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line or separated by commas, e.g. biscuiterie-dupont.fr"),
    )
    group_roles = forms.CharField(
        label=_("roles of the directory groups"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One “group = role” per line; roles: admin, coordinator, management, process_owner, auditor, contributor."),
    )
    default_role = forms.ChoiceField(
        label=_("role when no group matches"), required=False,
        choices=[("", _("No role: no access"))] + list(Role.choices),
        help_text=_("Given when none of the person's groups has a role."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, locked: frozenset = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        # Fields the deployment's settings give: shown as such, never taken from the form.
        for name in locked:
            field = self.fields[name]
            field.required, field.disabled = False, True
            field.help_text = _("Set in the server's settings.")

    def clean_allowed_domains(self) -> list[str]:
        raw = self.cleaned_data["allowed_domains"].replace(",", "\n").split()
        domains = [d.strip().lower().lstrip("@") for d in raw if d.strip()]
        bad = [d for d in domains if "." not in d or "/" in d or "@" in d]
        if bad:
            raise forms.ValidationError(gettext("Not an e-mail domain: {domains}").format(domains=", ".join(bad)))
        return domains

    def clean_group_roles(self) -> dict[str, str]:
        return parse_group_roles(self.cleaned_data["group_roles"])

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and not self.fields[k].disabled}
        data.setdefault("client_secret", "")
        return data


class DirectoryStartForm(forms.Form):
    email = forms.EmailField(label=_("Your work e-mail"), max_length=254)
