"""Forms of the first run, the people, the organization's profile and one's own profile:
field checks only; the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qse.forms import UserChoiceField, members_queryset
from qse.models import Organization, Process, Sector, Site, UserProfile
from qse.models.people import Weekday
from qse.roles import Role
from qse.validators import validate_siret


class OrganizationFieldsForm(forms.Form):
    """What a new organization is made of."""

    name = forms.CharField(label=_("Organization name"), max_length=200)
    siret = forms.CharField(label=_("SIRET (optional)"), max_length=20, required=False, validators=[validate_siret],
                            help_text=_("14 digits, as on the Kbis extract."))
    sector = forms.ChoiceField(label=_("sector"), choices=[("", "—"), *Sector.choices], required=False)
    headcount = forms.IntegerField(label=_("headcount"), min_value=0, required=False)
    default_language = forms.ChoiceField(label=_("default language"), choices=settings.LANGUAGES, initial="fr")

    def clean_siret(self) -> str:
        return self.cleaned_data["siret"].replace(" ", "")


class NewPasswordForm(forms.Form):
    """A person's name and the password they choose, typed twice."""

    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class AdminFieldsForm(NewPasswordForm):
    """The first administrator (or the person signing up)."""

    email = forms.EmailField(label=_("e-mail (your username)"))
    field_order = ["first_name", "last_name", "email", "password1", "password2"]


class SetupForm(OrganizationFieldsForm, AdminFieldsForm):
    """The first-run setup: the organization and its administrator, on one page."""

    field_order = ["name", "siret", "sector", "headcount", "default_language",
                   "first_name", "last_name", "email", "password1", "password2"]


class StaffOrganizationForm(OrganizationFieldsForm):
    """Platform staff create an organization and invite its first administrator."""

    admin_email = forms.EmailField(label=_("E-mail of its first administrator"))
    admin_first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("last name"), max_length=150, required=False)


class AcceptInvitationForm(NewPasswordForm):
    """The invited person's name and password."""


class _LimitsMixin(forms.Form):
    """Role and the optional limits to sites and processes, offered from the organization's."""

    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    sites = forms.ModelMultipleChoiceField(
        label=_("Limited to these sites"), queryset=Site.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every site."))
    processes = forms.ModelMultipleChoiceField(
        label=_("Limited to these processes"), queryset=Process.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every process."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.restrict(user, "view").filter(archived_at__isnull=True)
        self.fields["processes"].queryset = Process.objects.restrict(user, "view").filter(archived_at__isnull=True)


class InviteForm(_LimitsMixin):
    email = forms.EmailField(label=_("e-mail"))
    # The least right by default: making someone an administrator is a deliberate choice.
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.CONTRIBUTOR)
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    field_order = ["email", "first_name", "last_name", "role", "sites", "processes"]


class MembershipForm(_LimitsMixin):
    pass


class PersonWithoutAccountForm(forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    email = forms.EmailField(label=_("e-mail (optional, to invite them later)"), required=False)


class ReassignForm(forms.Form):
    owner = UserChoiceField(label=_("New owner"), queryset=get_user_model().objects.none())

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = members_queryset()
        self.fields["owner"].queryset = queryset.exclude(pk=exclude.pk) if exclude else queryset


class OrganizationProfileForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "siret", "sector", "headcount", "address", "default_language"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class UserFieldsForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]


class PreferencesForm(forms.ModelForm):
    """Language, e-mail per reminder kind (ticked: by e-mail too), digest day."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Reminders also sent by e-mail"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Every reminder also appears in the notifications of the app."))

    class Meta:
        model = UserProfile
        fields = ["language", "digest_weekday"]

    def __init__(self, *args, **kwargs):
        from qse.reminders import registered_kinds

        super().__init__(*args, **kwargs)
        kinds = registered_kinds()
        self.fields["email_kinds"].choices = sorted(((k, str(v)) for k, v in kinds.items()), key=lambda c: c[1])
        self.fields["email_kinds"].initial = [k for k in kinds if k not in (self.instance.muted_email_kinds or [])]
        self.fields["language"].choices = [("", _("The organization's language")), *settings.LANGUAGES]
        self.fields["digest_weekday"].choices = Weekday.choices
