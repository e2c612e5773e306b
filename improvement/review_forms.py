"""Forms of management reviews and their decisions (fields and input checks only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from improvement.models import ManagementReview, ReviewDecision
from qse.forms import ScopedModelForm
from qse.standards import Standard


class ManagementReviewForm(ScopedModelForm):
    standards = forms.MultipleChoiceField(
        label=_("standards"), choices=Standard.choices, widget=forms.CheckboxSelectMultiple, required=False,
    )

    class Meta:
        model = ManagementReview
        fields = ["title", "kind", "process", "period_start", "period_end", "sites", "standards", "held_on",
                  "attendees", "minutes"]
        widgets = {"sites": forms.CheckboxSelectMultiple}


class ReviewDecisionForm(ScopedModelForm):
    class Meta:
        model = ReviewDecision
        fields = ["category", "text", "owner", "due_on", "communicated_to_workers"]
        help_texts = {"owner": _("With an owner and a due date, the decision becomes an action.")}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
