import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from qse.tables import ObjectTable, PersonColumn
from risks import scoring
from risks.library import localized
from risks.models import Risk, RiskMatrix


def score_tag(matrix: RiskMatrix, score: int | None) -> str:
    """A score as a tag coloured by its band in the risk's own matrix."""
    if score is None:
        return "—"
    band = scoring.level(matrix.data, score)
    return format_html(
        '<span class="tag" style="background:{};color:#fff" title="{}">{} · {}</span>',
        band.colour, localized(band.label), score, localized(band.label),
    )


class RiskTable(ObjectTable):
    key_columns = ("reference", "title", "residual_score", "owner", "status")
    # What fits a 1024 px tablet without a sideways scroll; the rest is one tick away in the chooser.
    default_columns = ("reference", "title", "inherent_score", "residual_score", "owner", "status")
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    owner = PersonColumn(accessor="owner", verbose_name=_("owner"), order_by=("owner__last_name", "owner__first_name"))
    inherent_score = tables.Column(verbose_name=_("inherent score"))
    residual_score = tables.Column(verbose_name=_("residual score"))

    class Meta(ObjectTable.Meta):
        model = Risk
        fields = [
            "reference", "title", "kind", "domains", "process", "site", "inherent_score", "treatment",
            "residual_score", "owner", "next_review_on", "status",
        ]
        sequence = fields


    def render_inherent_score(self, record):
        return score_tag(record.matrix, record.inherent_score)

    def render_residual_score(self, record):
        return score_tag(record.matrix, record.residual_score)

    def value_inherent_score(self, record):
        return record.inherent_score

    def value_residual_score(self, record):
        return record.residual_score


class RiskMatrixTable(ObjectTable):
    name = tables.Column(linkify=True)
    risk_count = tables.Column(verbose_name=_("risks"))

    class Meta(ObjectTable.Meta):
        model = RiskMatrix
        fields = ["name", "is_default", "acceptability_threshold", "source_library_id", "source_version", "risk_count"]
        sequence = fields
