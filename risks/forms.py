import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qse.forms import ScopedModelForm
from qse.imports import normalize
from risks import scoring
from risks.choices import Domain
from risks.models import Risk, RiskMatrix

# Words a spreadsheet uses for a domain besides the labels (normalized: lower case, no accents).
DOMAIN_SYNONYMS = {
    Domain.QUALITY: ("q", "qualite", "quality"),
    Domain.SAFETY: ("s", "sst", "securite", "sante", "santesecurite", "safety", "health", "ohs", "hs"),
    Domain.ENVIRONMENT: ("e", "env", "environnement", "environment", "environmental"),
}
SEPARATORS = re.compile(r"[,;/|+\n]")


class RiskMatrixForm(ScopedModelForm):
    class Meta:
        model = RiskMatrix
        fields = ["name", "description", "is_default", "acceptability_threshold", "scales", "bands"]
        widgets = {"scales": forms.Textarea(attrs={"rows": 12}), "bands": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in ("scales", "bands", "acceptability_threshold")}
        if all(value is not None for value in data.values()):
            for error in scoring.matrix_errors(data):
                self.add_error("scales", error)
        return cleaned


class DomainsField(forms.MultipleChoiceField):
    """Checkboxes on the page; in a spreadsheet cell, one text: "Q, S", "Q/S/E", "QSE",
    "Qualité; Sécurité", "Quality, Environment" (labels in every language of the UI)."""

    def to_python(self, value):
        if not isinstance(value, str):
            return super().to_python(value)
        words = domain_words()
        found = []
        for token in filter(None, (normalize(part) for part in SEPARATORS.split(value))):
            if token in words:
                found.append(words[token])
            elif set(token) <= {"q", "s", "e"}:  # "QSE", "QS": one letter per domain
                found.extend(words[letter] for letter in token)
            else:
                raise ValidationError(
                    _("Unknown domain: {value} (Q, S or E).").format(value=token), code="invalid_choice"
                )
        return list(dict.fromkeys(found))


def domain_words() -> dict[str, str]:
    """Normalized word -> domain value, from the synonyms and the labels in every language."""
    words = {word: domain for domain, synonyms in DOMAIN_SYNONYMS.items() for word in synonyms}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words.update({normalize(label): value for value, label in Domain.choices})
    return words


class LevelField(forms.IntegerField):
    """A matrix level; a cell may say "4 - Critique": its leading number counts."""

    def to_python(self, value):
        if isinstance(value, str) and (match := re.match(r"\s*(\d+)\s*(?:[-–:.(]|$)", value)):
            value = match.group(1)
        return super().to_python(value)


LEVEL_FIELDS = [f"{phase}_{axis}" for phase in ("inherent", "residual") for axis in scoring.AXES]


class DefaultMatrixForm(ScopedModelForm):
    """A form with a ``matrix`` field whose initial value is the organization's default matrix:
    what a spreadsheet without a matrix column gets (evaluated only when asked for)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matrix"].initial = self._default_matrix_pk

    def _default_matrix_pk(self):
        matrix = self.fields["matrix"].queryset.filter(is_default=True).first()
        return matrix.pk if matrix else None


class RiskForm(DefaultMatrixForm):
    domains = DomainsField(
        label=_("domains"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Risk
        fields = [
            "reference", "title", "kind", "domains", "process", "site", "source", "source_detail",
            "cause", "consequence", "existing_controls", "matrix",
            "inherent_gravity", "inherent_probability", "inherent_detectability",
            "treatment", "treatment_justification", "accepted_by",
            "residual_gravity", "residual_probability", "residual_detectability",
            "owner", "next_review_on", "status",
        ]
        field_classes = {name: LevelField for name in LEVEL_FIELDS}

    def clean(self):
        """A new record's levels and treatment are checked against its matrix here, so an
        import reports them row by row (an edit is checked by the service, which first
        carries untouched levels over to a new matrix)."""
        cleaned = super().clean()
        matrix = cleaned.get("matrix")
        if matrix is not None and self.instance._state.adding:
            from risks.services import level_errors, treatment_errors

            for name, messages in {**treatment_errors(cleaned), **level_errors(matrix.data, cleaned)}.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return cleaned


class RiskActionForm(forms.Form):
    """The few fields of an action created from a risk (the rest comes from the risk)."""

    title = forms.CharField(label=_("title"), max_length=200)
    deliverable = forms.CharField(label=_("deliverable"), max_length=255, required=False)
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))
