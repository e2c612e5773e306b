"""Forms of the inbox: qualifying one item or several."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.choices import TextKind
from compliance.models import Text, WatchItem

DECISIONS = [
    ("new_text", _("Relevant: create a new text")),
    ("new_version", _("Relevant: new version of a text")),
    ("link", _("Relevant: concerns a text (no change)")),
    ("not_relevant", _("Not relevant")),
]


class QualifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("qualification"), choices=DECISIONS, widget=forms.RadioSelect)
    text = forms.ModelChoiceField(label=_("text concerned"), queryset=Text.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("kind of the new text"), choices=TextKind.choices, required=False)
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].queryset = Text.objects.restrict(user, "change").filter(archived_at__isnull=True)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in ("new_version", "link") and not cleaned.get("text"):
            self.add_error("text", _("Choose the text concerned."))
        if decision == "not_relevant" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the item is not relevant."))
        return cleaned


class BulkQualifyForm(QualifyForm):
    items = forms.ModelMultipleChoiceField(label=_("items"), queryset=WatchItem.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["items"].queryset = WatchItem.objects.restrict(user, "change").filter(status="new")
        self.fields["decision"].choices = [c for c in DECISIONS if c[0] != "new_version"]
