"""Building an audit's checklist (page and API), through ``checklist_build``: choose banks and
clauses, add the audit's criteria and the past findings on its scope, then reorder or remove
questions until the audit starts. The audit's own page (another module) links here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from audits.checklist_build import (
    BuildChoice,
    checklist_build,
    checklist_move,
    checklist_remove,
    checklist_reorder,
    ensure_checklist_editable,
)
from audits.models import Audit, AuditQuestion, QuestionBank
from qse.api.operations import MemberApiView
from qse.permissions import can
from qse.registry import register_api_path
from qse.standards import Standard


def _audit(request, pk) -> Audit:
    return get_object_or_404(Audit.objects.restrict(request.user, "view").select_related("supplier", "process", "site"),
                             pk=pk)


def _split_clauses(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


class BuildForm(forms.Form):
    banks = forms.ModelMultipleChoiceField(queryset=QuestionBank.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Question banks"))
    clauses = forms.CharField(required=False, max_length=200, label=gettext_lazy("Only these clauses"),
                              help_text=gettext_lazy("Separated by commas, e.g. 8.4, 9.2; empty: every question of the banks chosen."))
    from_criteria = forms.BooleanField(required=False, initial=True,
                                       label=gettext_lazy("Add the questions of the audit's criteria (its standards and clauses)"))
    from_findings = forms.BooleanField(required=False, initial=True,
                                       label=gettext_lazy("Add the nonconformities found by earlier audits of the same scope"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["banks"].queryset = QuestionBank.objects.restrict(user, "view").filter(archived_at__isnull=True)

    def choice(self) -> BuildChoice:
        data = self.cleaned_data
        return BuildChoice(bank_ids=tuple(b.pk for b in data["banks"]), clauses=_split_clauses(data["clauses"]),
                           from_criteria=data["from_criteria"], from_findings=data["from_findings"])


def _may_build(user, audit: Audit) -> bool:
    return can(user, "add", AuditQuestion(audit=audit, organization_id=audit.organization_id))


@login_required
@require_http_methods(["GET", "POST"])
def checklist_build_page(request, pk):
    """The checklist as it stands, the build form and, per question, move up / down / remove."""
    audit = _audit(request, pk)
    may_build = _may_build(request.user, audit)
    form = BuildForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may_build:
            raise PermissionDenied(_("You are not allowed to do this."))
        if form.is_valid():
            try:
                counts = checklist_build(audit=audit, acting_user=request.user, choice=form.choice())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("{count} questions added to the checklist.").format(count=sum(counts.values())))
                return HttpResponseRedirect(reverse("audits:checklist_build", args=[audit.pk]))
    try:
        ensure_checklist_editable(audit)
        editable = True
    except ValidationError:
        editable = False
    questions = audit.questions.order_by("position", "pk")
    return render(request, "audits/checklist_build.html", {
        "audit": audit, "form": form, "questions": questions, "may_build": may_build and editable,
        "standards": [Standard(code).label for code in audit.standards if code in Standard.values],
        "editable": editable,
    }, status=400 if form.errors else 200)


def _question(request, pk) -> AuditQuestion:
    return get_object_or_404(AuditQuestion.objects.restrict(request.user, "view").select_related("audit"), pk=pk)


@login_required
@require_POST
def checklist_question_move(request, pk):
    question = _question(request, pk)
    if not can(request.user, "change", question):
        raise PermissionDenied(_("You are not allowed to do this."))
    try:
        checklist_move(question=question, acting_user=request.user, step=-1 if request.POST.get("step") == "up" else 1)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(reverse("audits:checklist_build", args=[question.audit_id]) + f"#q{question.pk}")


@login_required
@require_POST
def checklist_question_remove(request, pk):
    question = _question(request, pk)
    try:
        checklist_remove(question=question, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Question removed from the checklist."))
    return HttpResponseRedirect(reverse("audits:checklist_build", args=[question.audit_id]))


# --- API --------------------------------------------------------------------------------------


class ChecklistQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditQuestion
        fields = ["id", "position", "standard", "clause", "text", "guidance", "source", "bank_reference"]


# An id beyond PostgreSQL's bigint would be a database error, not a 400.
ID = {"min_value": 1, "max_value": 2**63 - 1}


class BuildSerializer(serializers.Serializer):
    bank_ids = serializers.ListField(child=serializers.IntegerField(**ID), required=False, default=list, max_length=200)
    clauses = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list,
                                    max_length=100)
    from_criteria = serializers.BooleanField(required=False, default=True)
    from_findings = serializers.BooleanField(required=False, default=True)


class OrderSerializer(serializers.Serializer):
    question_ids = serializers.ListField(child=serializers.IntegerField(**ID), allow_empty=False, max_length=5000)


class ChecklistApiView(MemberApiView):
    """``/api/v1/audits/checklists/{audit id}/``: GET the checklist; POST build it (banks,
    clauses, criteria, past findings; run twice, nothing is doubled); PUT the new order."""

    def _audit(self, request, pk, verb: str) -> Audit:
        audit = get_object_or_404(Audit.objects.restrict(request.user, "view"), pk=pk)
        if verb != "view" and not _may_build(request.user, audit):
            raise PermissionDenied(_("You are not allowed to do this."))
        return audit

    @extend_schema(responses={200: ChecklistQuestionSerializer(many=True)})
    def get(self, request, pk):
        audit = self._audit(request, pk, "view")
        return Response(ChecklistQuestionSerializer(audit.questions.order_by("position", "pk"), many=True).data)

    @extend_schema(request=BuildSerializer, responses={200: inline_serializer("ChecklistBuilt", {
        "bank": serializers.IntegerField(), "criteria": serializers.IntegerField(),
        "past_finding": serializers.IntegerField()})})
    def post(self, request, pk):
        audit = self.call(self._audit, request, pk, "add")
        payload = BuildSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        choice = BuildChoice(bank_ids=tuple(data["bank_ids"]), clauses=tuple(data["clauses"]),
                             from_criteria=data["from_criteria"], from_findings=data["from_findings"])
        return Response(self.call(checklist_build, audit=audit, acting_user=request.user, choice=choice))

    @extend_schema(request=OrderSerializer, responses={200: ChecklistQuestionSerializer(many=True)})
    def put(self, request, pk):
        audit = self.call(self._audit, request, pk, "change")
        payload = OrderSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        self.call(checklist_reorder, audit=audit, acting_user=request.user,
                  question_ids=payload.validated_data["question_ids"])
        return Response(ChecklistQuestionSerializer(audit.questions.order_by("position", "pk"), many=True).data)


class ChecklistQuestionApiView(MemberApiView):
    """``DELETE /api/v1/audits/checklist-questions/{id}/``: remove a question before the audit starts."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        question = get_object_or_404(AuditQuestion.objects.restrict(request.user, "view").select_related("audit"), pk=pk)
        self.call(checklist_remove, question=question, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


register_api_path("audits/checklists/<int:pk>/", ChecklistApiView.as_view(), "audits-checklist")
register_api_path("audits/checklist-questions/<int:pk>/", ChecklistQuestionApiView.as_view(),
                  "audits-checklist-question")


def urls() -> list:
    return [
        path("checklists/<int:pk>/", checklist_build_page, name="checklist_build"),
        path("checklists/questions/<int:pk>/move/", checklist_question_move, name="checklist_question_move"),
        path("checklists/questions/<int:pk>/remove/", checklist_question_remove, name="checklist_question_remove"),
    ]
