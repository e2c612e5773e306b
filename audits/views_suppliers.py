"""The supplier register: declarations on the generic views (suppliers, their monthly
figures, certifications and shared requirements, each imported through the generic import),
the supplier's scorecard as its page and the ranking for purchasing (page and API)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.data import TableQuerysetData
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from audits import selectors_suppliers
from audits import supplier_scoring as rules
from audits.choices import SupplierStatus
from audits.choices_banks import SupplierRating
from audits.models import Supplier, SupplierCertification, SupplierFigure, SupplierRequirement
from nonconformities.models import Event
from qse.api.operations import MemberApiView
from qse.api.viewsets import ScopedPagination, ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import add_nav, register, register_api_path
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews

SUPPLIER_FIELDS = ["name", "siren", "category", "status", "critical", "owner", "contact_name", "contact_email", "phone",
                   "address", "notes"]
FIGURE_FIELDS = ["supplier", "period", "lots_delivered", "lots_on_time", "lots_rejected", "quantity_received",
                 "quantity_rejected", "comment"]
CERTIFICATION_FIELDS = ["supplier", "standard", "body", "number", "issued_on", "expires_on"]
REQUIREMENT_FIELDS = ["supplier", "title", "description", "document_reference", "shared_on", "acknowledged_on",
                      "acknowledged_by", "acknowledgement_reference"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- forms --------------------------------------------------------------------------------


class SupplierForm(ScopedModelForm):
    class Meta:
        model = Supplier
        fields = SUPPLIER_FIELDS


class SupplierFigureForm(ScopedModelForm):
    class Meta:
        model = SupplierFigure
        fields = FIGURE_FIELDS
        widgets = {"period": DATE}

    def clean_period(self):
        # A month is one row: whatever day was typed, the first of the month is kept.
        period = self.cleaned_data["period"]
        return period.replace(day=1) if period else period


class SupplierCertificationForm(ScopedModelForm):
    class Meta:
        model = SupplierCertification
        fields = CERTIFICATION_FIELDS
        widgets = {"issued_on": DATE, "expires_on": DATE}


class SupplierRequirementForm(ScopedModelForm):
    class Meta:
        model = SupplierRequirement
        fields = REQUIREMENT_FIELDS
        widgets = {"shared_on": DATE, "acknowledged_on": DATE}


# --- filters ------------------------------------------------------------------------------


class SupplierFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))
    status = django_filters.ChoiceFilter(choices=SupplierStatus.choices, label=gettext_lazy("status"))
    critical = django_filters.BooleanFilter(label=gettext_lazy("critical supplier"))

    class Meta:
        model = Supplier
        fields = ["q", "status", "critical"]


class SupplierFigureFilterSet(ScopedFilterSet):
    class Meta:
        model = SupplierFigure
        fields = ["supplier"]


class SupplierCertificationFilterSet(ScopedFilterSet):
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=gettext_lazy("expired or expiring soon"))

    class Meta:
        model = SupplierCertification
        fields = ["supplier", "expiring"]

    def filter_expiring(self, queryset, name, value):
        soon = selectors_suppliers.expiring_certifications(today=timezone.localdate(), queryset=queryset)
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))


class SupplierRequirementFilterSet(ScopedFilterSet):
    acknowledged = django_filters.BooleanFilter(field_name="acknowledged_on", lookup_expr="isnull", exclude=True,
                                                label=gettext_lazy("acknowledged"))

    class Meta:
        model = SupplierRequirement
        fields = ["supplier", "acknowledged"]


# --- tables -------------------------------------------------------------------------------


class SupplierTable(ObjectTable):
    name = tables.Column(linkify=True)
    key_columns = ("name",)
    default_columns = ("name", "category", "status", "critical", "owner")

    class Meta(ObjectTable.Meta):
        model = Supplier
        fields = ["name", "siren", "category", "status", "critical", "owner", "contact_name", "contact_email", "phone"]
        sequence = fields


class SupplierFigureTable(ObjectTable):
    period = tables.DateColumn(format="m/Y", linkify=True)
    key_columns = ("supplier", "period")

    class Meta(ObjectTable.Meta):
        model = SupplierFigure
        fields = ["supplier", "period", "lots_delivered", "lots_on_time", "lots_rejected", "quantity_received",
                  "quantity_rejected"]
        sequence = fields


class SupplierCertificationTable(ObjectTable):
    standard = tables.Column(linkify=True)
    key_columns = ("supplier", "standard", "expires_on")

    class Meta(ObjectTable.Meta):
        model = SupplierCertification
        fields = ["supplier", "standard", "body", "number", "expires_on"]
        sequence = fields


class SupplierRequirementTable(ObjectTable):
    title = tables.Column(linkify=True)
    key_columns = ("supplier", "title")

    class Meta(ObjectTable.Meta):
        model = SupplierRequirement
        fields = ["supplier", "title", "document_reference", "shared_on", "acknowledged_on", "acknowledged_by"]
        sequence = fields


def _number(value, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


class RankingData(TableQuerysetData):
    """The ranking's rows for the table: counted, then cut a page at a time in SQL
    (``SupplierRanking``); its one order is the ranking's, not a queryset's ``order_by``."""

    ordering = None


class SupplierRankingTable(ObjectTable):
    """The ranking's columns (the rows come annotated by ``supplier_ranking``)."""

    name = tables.Column(linkify=True, verbose_name=gettext_lazy("supplier"))
    score = tables.Column(verbose_name=gettext_lazy("score"), orderable=False)
    audit_score = tables.Column(verbose_name=gettext_lazy("audit score"), orderable=False)
    on_time_rate = tables.Column(verbose_name=gettext_lazy("on time (%)"), orderable=False)
    ppm = tables.Column(verbose_name=gettext_lazy("ppm"), orderable=False)
    nc_count = tables.Column(verbose_name=gettext_lazy("NCs (12 months)"), orderable=False)
    next_expiry = tables.DateColumn(verbose_name=gettext_lazy("certificate expiry"), orderable=False)
    key_columns = ("name", "score")

    class Meta(ObjectTable.Meta):
        model = Supplier
        fields = ["name", "score", "audit_score", "on_time_rate", "ppm", "nc_count", "next_expiry", "status", "critical"]
        sequence = fields
        orderable = False

    def render_score(self, value, record):
        # The class beside the score, its meaning on hover (a narrow column on a tablet).
        if value is None:
            return SupplierRating.UNRATED.label
        return format_html('{} <span class="tag{}" title="{}">{}</span>', _number(value),
                           " late" if record.rating == SupplierRating.C else "", SupplierRating(record.rating).label,
                           record.rating)

    def render_audit_score(self, value):
        return _number(value)

    def render_on_time_rate(self, value):
        return _number(value, 1)

    def render_ppm(self, value):
        return _number(value)


# --- serializers --------------------------------------------------------------------------


class SupplierSerializer(ScopedSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "url", *SUPPLIER_FIELDS, "version", "archived_at"]
        read_only_fields = ["archived_at"]


class SupplierFigureSerializer(ScopedSerializer):
    class Meta:
        model = SupplierFigure
        fields = ["id", "url", *FIGURE_FIELDS, "version", "archived_at"]
        read_only_fields = ["archived_at"]

    def validate_period(self, value):
        return value.replace(day=1)


class SupplierCertificationSerializer(ScopedSerializer):
    class Meta:
        model = SupplierCertification
        fields = ["id", "url", *CERTIFICATION_FIELDS, "version", "archived_at"]
        read_only_fields = ["archived_at"]


class SupplierRequirementSerializer(ScopedSerializer):
    class Meta:
        model = SupplierRequirement
        fields = ["id", "url", *REQUIREMENT_FIELDS, "version", "archived_at"]
        read_only_fields = ["archived_at"]


# --- declarations -------------------------------------------------------------------------


@register
class SupplierViews(ObjectViews):
    model = Supplier
    url_prefix = "suppliers"
    table = SupplierTable
    form = SupplierForm
    filterset = SupplierFilterSet
    serializer = SupplierSerializer
    import_fields = ["name", "siren", "category", "status", "critical", "contact_name", "contact_email", "phone"]
    nav_block = "evaluate"
    nav_order = 30

    @classmethod
    def get_queryset(cls, request):
        return Supplier.objects.select_related("owner")

    @classmethod
    def detail_context(cls, request, obj):
        card = selectors_suppliers.supplier_scorecard(supplier=obj, user=request.user, today=timezone.localdate())
        return {"card": card, **{f"can_add_{name}": can(request.user, "add", model) for name, model in (
            ("figure", SupplierFigure), ("certification", SupplierCertification), ("requirement", SupplierRequirement),
            ("event", Event))}}


@register
class SupplierFigureViews(ObjectViews):
    model = SupplierFigure
    url_prefix = "supplier-figures"
    table = SupplierFigureTable
    form = SupplierFigureForm
    filterset = SupplierFigureFilterSet
    serializer = SupplierFigureSerializer
    import_fields = FIGURE_FIELDS

    @classmethod
    def get_queryset(cls, request):
        return SupplierFigure.objects.select_related("supplier")


@register
class SupplierCertificationViews(ObjectViews):
    model = SupplierCertification
    url_prefix = "supplier-certifications"
    table = SupplierCertificationTable
    form = SupplierCertificationForm
    filterset = SupplierCertificationFilterSet
    serializer = SupplierCertificationSerializer
    import_fields = CERTIFICATION_FIELDS

    @classmethod
    def get_queryset(cls, request):
        return SupplierCertification.objects.select_related("supplier")


@register
class SupplierRequirementViews(ObjectViews):
    model = SupplierRequirement
    url_prefix = "supplier-requirements"
    table = SupplierRequirementTable
    form = SupplierRequirementForm
    filterset = SupplierRequirementFilterSet
    serializer = SupplierRequirementSerializer
    import_fields = REQUIREMENT_FIELDS

    @classmethod
    def get_queryset(cls, request):
        return SupplierRequirement.objects.select_related("supplier")


# --- the ranking for purchasing -------------------------------------------------------------


@login_required
def supplier_ranking(request):
    """Suppliers ranked by their evaluation, paginated in SQL (readable by every role)."""
    if request.membership is None or not can(request.user, "view", Supplier):
        raise PermissionDenied(_("You are not allowed to do this."))
    rows = selectors_suppliers.supplier_ranking(user=request.user, today=timezone.localdate())
    # Configured once (a request given to the table would paginate it, and read a page, twice).
    table = SupplierRankingTable(RankingData(rows))
    tables.RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "audits/supplier_ranking.html", {"table": table, "explanation": ranking_explanation()})


def ranking_explanation() -> str:
    """The scoring rules in a sentence, read from ``supplier_scoring`` (never restated)."""
    weights = {name: round(weight * 100) for name, weight in rules.WEIGHTS.items()}
    return _(
        "Score out of 100 over the last {months} months: last supplier audit {audit} %, on-time delivery {delivery} %, "
        "quality (ppm) {quality} %, minus {penalty} points per supplier NC (at most {cap}). Class A from {a}, B from {b}."
    ).format(months=rules.WINDOW_MONTHS, audit=weights["audit_score"], delivery=weights["on_time_rate"],
             quality=weights["quality_score"], penalty=rules.NC_PENALTY, cap=rules.NC_PENALTY * rules.NC_PENALTY_CAP,
             a=rules.CLASS_A, b=rules.CLASS_B)


RANKING_FIELDS = ["id", "name", "status", "critical", "rating", "score", "audit_score", "on_time_rate",
                  "rejected_lot_rate", "ppm", "nc_count", "next_expiry"]


class SupplierRankingView(MemberApiView):
    """``GET /api/v1/audits/supplier-ranking/``: the same ranking, paginated."""

    @extend_schema(responses={200: inline_serializer("SupplierRank", {
        "id": serializers.IntegerField(), "name": serializers.CharField(), "status": serializers.CharField(),
        "critical": serializers.BooleanField(), "rating": serializers.CharField(),
        "score": serializers.FloatField(allow_null=True), "audit_score": serializers.FloatField(allow_null=True),
        "on_time_rate": serializers.FloatField(allow_null=True),
        "rejected_lot_rate": serializers.FloatField(allow_null=True), "ppm": serializers.FloatField(allow_null=True),
        "nc_count": serializers.IntegerField(), "next_expiry": serializers.DateField(allow_null=True)}, many=True)})
    def get(self, request):
        if not can(request.user, "view", Supplier):
            return Response(status=403)
        rows = selectors_suppliers.supplier_ranking(user=request.user, today=timezone.localdate())
        paginator = ScopedPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([_rounded(supplier) for supplier in page])


def _rounded(supplier: Supplier) -> dict:
    values = {name: getattr(supplier, name) for name in RANKING_FIELDS}
    return {key: round(value, 2) if isinstance(value, float) else value for key, value in values.items()}


register_api_path("audits/supplier-ranking/", SupplierRankingView.as_view(), "audits-supplier-ranking")
add_nav("evaluate", gettext_lazy("Supplier ranking"), "audits:supplier_ranking", model=Supplier, order=31)


def urls() -> list:
    return [
        path("suppliers/ranking/", supplier_ranking, name="supplier_ranking"),
        *SupplierViews.urls(),
        *SupplierFigureViews.urls(),
        *SupplierCertificationViews.urls(),
        *SupplierRequirementViews.urls(),
    ]
