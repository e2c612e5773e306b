"""Question banks: declarations on the generic views (banks and, nested under each, their
questions), loading a library bank and copying a bank, as pages and API operations."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from audits import services_banks
from audits.bank_library import bank_libraries, library_summary
from audits.choices_banks import BankKind
from audits.models import BankQuestion, QuestionBank
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import add_nav, register
from qse.standards import Standard
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews

BANK_FIELDS = ["name", "kind", "standard", "description"]
QUESTION_FIELDS = ["position", "clause", "text", "guidance"]


class QuestionBankForm(ScopedModelForm):
    class Meta:
        model = QuestionBank
        fields = BANK_FIELDS


class BankQuestionForm(ScopedModelForm):
    class Meta:
        model = BankQuestion
        fields = QUESTION_FIELDS


class QuestionBankFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))
    kind = django_filters.ChoiceFilter(choices=BankKind.choices, label=gettext_lazy("type"))
    standard = django_filters.ChoiceFilter(choices=Standard.choices, label=gettext_lazy("standard"))

    class Meta:
        model = QuestionBank
        fields = ["q", "kind", "standard"]


class BankQuestionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=gettext_lazy("Search"))
    clause = django_filters.CharFilter(field_name="clause", lookup_expr="startswith", label=gettext_lazy("clause"))

    class Meta:
        model = BankQuestion
        fields = ["q", "clause"]


class QuestionBankTable(ObjectTable):
    name = tables.Column(linkify=True)
    questions = tables.Column(verbose_name=gettext_lazy("questions"), accessor="question_count", orderable=False)
    key_columns = ("name",)

    class Meta(ObjectTable.Meta):
        model = QuestionBank
        fields = ["name", "kind", "standard", "library_version"]
        sequence = ["name", "kind", "standard", "questions", "library_version"]


class BankQuestionTable(ObjectTable):
    text = tables.Column(linkify=True)
    key_columns = ("clause", "text")

    class Meta(ObjectTable.Meta):
        model = BankQuestion
        fields = ["position", "clause", "text", "guidance"]
        sequence = fields


class QuestionBankSerializer(ScopedSerializer):
    class Meta:
        model = QuestionBank
        fields = ["id", "url", *BANK_FIELDS, "library_key", "library_version", "copied_from", "version", "archived_at"]
        read_only_fields = ["library_key", "library_version", "copied_from", "archived_at"]


class BankQuestionSerializer(ScopedSerializer):
    class Meta:
        model = BankQuestion
        fields = ["id", "url", "bank", *QUESTION_FIELDS, "reference", "version", "archived_at"]
        read_only_fields = ["bank", "reference", "archived_at"]


class QuestionBankApiMixin:
    """``POST .../question-banks/load-library/ {"library_id"}`` loads (or refreshes) a library
    bank in the request's language; ``POST .../question-banks/{id}/copy/`` copies a bank."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in ("load_library", "copy"):
            return "add" if self.action == "load_library" else "view"
        return super().verb_for(request)

    @extend_schema(request=inline_serializer("BankLibraryLoad", {"library_id": serializers.CharField()}),
                   responses={200: inline_serializer("BankLibraryLoaded", {
                       "bank": serializers.IntegerField(), "bank_created": serializers.IntegerField(),
                       "questions_created": serializers.IntegerField(),
                       "questions_updated": serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="load-library")
    def load_library(self, request):
        library_id = str(request.data.get("library_id", "")) if hasattr(request.data, "get") else ""
        if library_id not in bank_libraries():
            return Response({"library_id": [_("Unknown library.")]}, status=400)
        return Response(self._call(services_banks.bank_library_load, library_id=library_id, acting_user=request.user,
                                   language=get_language() or "fr"))

    @extend_schema(request=inline_serializer("BankCopy", {"name": serializers.CharField(required=False)}),
                   responses={201: QuestionBankSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        bank = self.get_object()
        name = str(request.data.get("name", "")) if hasattr(request.data, "get") else ""
        copy = self._call(services_banks.bank_copy, bank=bank, acting_user=request.user, name=name)
        return Response(QuestionBankSerializer(copy, context={"request": request}).data, status=201)


@register
class QuestionBankViews(ObjectViews):
    model = QuestionBank
    url_prefix = "question-banks"
    table = QuestionBankTable
    form = QuestionBankForm
    filterset = QuestionBankFilterSet
    serializer = QuestionBankSerializer
    api_mixins = (QuestionBankApiMixin,)
    nav_block = "evaluate"
    nav_order = 22

    @classmethod
    def get_queryset(cls, request):
        from django.db.models import Count, Q

        return QuestionBank.objects.annotate(
            question_count=Count("questions", filter=Q(questions__archived_at__isnull=True)))

    @classmethod
    def detail_context(cls, request, obj):
        questions = BankQuestion.objects.restrict(request.user, "view").filter(bank=obj, archived_at__isnull=True)
        return {
            "questions_table": BankQuestionTable(questions, request=request, exclude=("guidance",)),
            "can_add_question": can(request.user, "add", BankQuestion(bank=obj, organization_id=obj.organization_id)),
            "can_copy": can(request.user, "add", QuestionBank),
        }


@register
class BankQuestionViews(ObjectViews):
    model = BankQuestion
    url_prefix = "questions"
    parent = ("bank", QuestionBank, "bank")
    table = BankQuestionTable
    form = BankQuestionForm
    filterset = BankQuestionFilterSet
    serializer = BankQuestionSerializer

    @classmethod
    def get_queryset(cls, request):
        return BankQuestion.objects.select_related("bank")


# --- pages beyond the declarations ----------------------------------------------------------


@login_required
def bank_library(request):
    """The library's banks, each with a button to load it (or refresh it) in the user's language."""
    if request.membership is None or not can(request.user, "view", QuestionBank):
        raise PermissionDenied(_("You are not allowed to do this."))
    loaded = dict(QuestionBank.objects.restrict(request.user, "view").exclude(library_key="")
                  .values_list("library_key", "pk"))
    entries = [{**entry, "bank_pk": loaded.get(entry["id"]),
                "standard": Standard(entry["standard"]).label if entry["standard"] else ""}
               for entry in library_summary(request.LANGUAGE_CODE)]
    return render(request, "audits/bank_library.html", {
        "entries": entries, "can_load": can(request.user, "add", QuestionBank)})


@login_required
@require_POST
def bank_library_load(request):
    library_id = request.POST.get("library_id", "")
    if library_id not in bank_libraries():
        messages.error(request, _("Unknown library."))
        return HttpResponseRedirect(reverse("audits:bank_library"))
    counts = services_banks.bank_library_load(library_id=library_id, acting_user=request.user,
                                              language=request.LANGUAGE_CODE)
    messages.success(request, _("Bank loaded: {created} questions added, {updated} updated.").format(
        created=counts["questions_created"], updated=counts["questions_updated"]))
    return HttpResponseRedirect(reverse("audits:questionbank_detail", args=[counts["bank"]]))


@login_required
@require_POST
def bank_copy(request, pk):
    bank = get_object_or_404(QuestionBank.objects.restrict(request.user, "view"), pk=pk)
    copy = services_banks.bank_copy(bank=bank, acting_user=request.user)
    messages.success(request, _("Copy made: edit its questions or add yours."))
    return HttpResponseRedirect(reverse("audits:questionbank_detail", args=[copy.pk]))


add_nav("evaluate", gettext_lazy("Question bank library"), "audits:bank_library", model=QuestionBank, order=23)


def urls() -> list:
    return [
        path("question-banks/library/", bank_library, name="bank_library"),
        path("question-banks/library/load/", bank_library_load, name="bank_library_load"),
        path("question-banks/<int:pk>/copy/", bank_copy, name="questionbank_copy"),
        *QuestionBankViews.urls(),
        *BankQuestionViews.urls(),
    ]
