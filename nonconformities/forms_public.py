"""Forms of the account-less reporting (QR codes) and of the reporting points."""

from __future__ import annotations

import datetime
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nonconformities.models import ReportingPoint
from nonconformities.services_public import IDEA, PUBLIC_TYPES, PublicReport
from qse.attachments import IMAGE_FORMATS, check_upload
from qse.forms import ScopedModelForm
from qse.throttle import claim_once

STAMP_SALT = "nonconformities.public-report.stamp"
# A person needs more than a few seconds to describe what they saw; a form left open on
# a phone for a shift is stale.
STAMP_MIN_SECONDS = 3
STAMP_MAX_SECONDS = 4 * 3600


class ReportingPointForm(ScopedModelForm):
    class Meta:
        model = ReportingPoint
        fields = ["site", "label", "is_active"]


def form_stamp(point: ReportingPoint, *, issued_at: float) -> str:
    """A signed "this form was shown at" value, bound to the reporting point, with a
    random nonce so that it sends one report only (see ``stamp_claim``)."""
    return signing.dumps({"p": point.pk, "t": round(issued_at, 3), "n": secrets.token_urlsafe(12)}, salt=STAMP_SALT)


def stamp_nonce(value: str) -> str:
    """The single-use nonce of a stamp already checked by ``stamp_error``."""
    return signing.loads(value, salt=STAMP_SALT)["n"]


def stamp_claim(nonce: str) -> bool:
    """Use a stamp's nonce up: True the first time, False for a replay (from any address).
    Kept as long as the stamp itself is accepted, so it can never be used twice."""
    return claim_once(f"qse:public-report:stamp:{nonce}", STAMP_MAX_SECONDS + 60)


def stamp_error(value: str, *, point: ReportingPoint, now: float) -> str | None:
    """Why a stamp is refused (forged, other point, no nonce, too fast, too old), or None."""
    try:
        data = signing.loads(value or "", salt=STAMP_SALT)
        issued_at, point_pk = float(data["t"]), data["p"]
        if not isinstance(data["n"], str) or not data["n"]:
            raise ValueError
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("This form has expired. Please fill it in again.")
    if point_pk != point.pk or now - issued_at > STAMP_MAX_SECONDS:
        return _("This form has expired. Please fill it in again.")
    if now - issued_at < STAMP_MIN_SECONDS:
        return _("This report was sent too quickly. Please check it and send it again.")
    return None


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PublicReportForm(forms.Form):
    """What anyone can tell from a phone; the honeypot ``website`` stays empty for people."""

    event_type = forms.ChoiceField(label=gettext_lazy("What happened?"), choices=PUBLIC_TYPES, widget=forms.RadioSelect)
    place = forms.CharField(label=gettext_lazy("Where?"), max_length=200)
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("When?"), widget=DateTimeLocalInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,  # an idea has no date; an event's is required in clean()
    )
    description = forms.CharField(
        label=gettext_lazy("Describe what you saw"), min_length=10, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    name = forms.CharField(label=gettext_lazy("Your name (optional)"), max_length=150, required=False)
    contact = forms.CharField(
        label=gettext_lazy("Phone or e-mail (optional)"), max_length=150, required=False,
        help_text=gettext_lazy("Only if you want to be told what was done."),
    )
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, point: ReportingPoint, now: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.point, self.now = point, now
        self.checked_photo = None
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial.setdefault("place", point.label)
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial["stamp"] = form_stamp(point, issued_at=now)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_website(self):
        return ""

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value is None:
            return None
        now = timezone.now()
        if value > now + datetime.timedelta(minutes=10):
            raise ValidationError(_("This date is in the future."))
        if value < now - datetime.timedelta(days=366):
            raise ValidationError(_("This date is more than a year ago: tell your manager directly."))
        return value

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > settings.QSE_UPLOAD_MAX_BYTES:
            raise ValidationError(_("The photo is too large."))
        checked = check_upload(upload.read(), upload.name)
        if checked.mime_type not in IMAGE_FORMATS:
            raise ValidationError(_("Only photos are accepted (JPEG, PNG or WebP)."))
        self.checked_photo = checked
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("event_type") not in (None, IDEA) and not cleaned.get("occurred_at") and "occurred_at" not in self.errors:
            self.add_error("occurred_at", _("Say when it happened."))
        if self.is_spam:
            # Emptied on the page sent back: a person whose browser filled the trap can send again.
            self.data = self.data.copy()
            self.data["website"] = ""
            raise ValidationError(_("Your report could not be accepted. Please check it and send it again."))
        error = stamp_error(self.data.get("stamp", ""), point=self.point, now=self.now)
        if error:
            self.refuse_stamp(error)
        return cleaned

    def refuse_stamp(self, error: str) -> None:
        """Refuse the form for its stamp, with a fresh stamp so that the person can simply send again."""
        self.data = self.data.copy()
        self.data["stamp"] = form_stamp(self.point, issued_at=self.now)
        raise ValidationError(error)

    def claim_stamp(self) -> bool:
        """Use this valid form's stamp up; False (and a form error) when it was already used."""
        if stamp_claim(stamp_nonce(self.data["stamp"])):
            return True
        try:
            self.refuse_stamp(_("This report was already sent. To report something else, fill in the form again."))
        except ValidationError as error:
            self.add_error(None, error)
        return False

    def report(self) -> PublicReport:
        data = self.cleaned_data
        photo = data.get("photo")
        return PublicReport(
            event_type=data["event_type"], place=data["place"], occurred_at=data["occurred_at"],
            description=data["description"], name=data["name"], contact=data["contact"],
            photo=self.checked_photo, photo_name=photo.name if photo else "",
        )
