"""API operations of the compliance module beyond the declared models' CRUD; each calls the
service or selector its page calls: an action from a gap (or linking one), qualifying inbox
items (one or several), polling a source now, a site's applicability (facts, suggestions,
what a changed fact would do, recording decisions), the dashboard and the starter library."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance import services, services_watch
from compliance.choices import ApplicabilityStatus, TextKind
from compliance.forms_watch import DECISIONS
from compliance.models import Requirement, Text, WatchItem
from improvement.models import Action
from improvement.serializers import ActionSerializer
from qse.api.operations import MemberApiView, plain
from qse.api.viewsets import ScopedRelatedField
from qse.forms import members_queryset
from qse.registry import register_api_path


class GapActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=members_queryset().none())
    due_on = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()


class LinkActionSerializer(serializers.Serializer):
    action = ScopedRelatedField(queryset=Action.objects.all())


class ServiceCheckedMixin:
    """Custom operations whose rights the service checks (a view right opens the route)."""

    checked_actions: tuple[str, ...] = ()

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in self.checked_actions:
            return "view"
        return super().verb_for(request)


class EvaluationApiMixin(ServiceCheckedMixin):
    """``POST .../evaluations/{id}/actions/`` (a new action for the gap) and
    ``.../link-action/`` (an existing action, without origin, now comes from the gap)."""

    checked_actions = ("actions", "link_action")

    @extend_schema(request=GapActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        evaluation = self.get_object()
        payload = GapActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = self._call(services.evaluation_action_create, evaluation=evaluation, acting_user=request.user,
                             data=payload.validated_data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=LinkActionSerializer, responses={200: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="link-action")
    def link_action(self, request, pk=None):
        evaluation = self.get_object()
        payload = LinkActionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        linked = self._call(services.evaluation_action_link, evaluation=evaluation,
                            action=payload.validated_data["action"], acting_user=request.user)
        return Response(ActionSerializer(linked, context=self.get_serializer_context()).data)


class QualifySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[value for value, _label in DECISIONS])
    text = ScopedRelatedField(queryset=Text.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=TextKind.choices, required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class BulkQualifySerializer(QualifySerializer):
    items = ScopedRelatedField(queryset=WatchItem.objects.all(), many=True)


class WatchItemApiMixin(ServiceCheckedMixin):
    """``POST .../inbox/{id}/qualify/`` and ``POST .../inbox/qualify/`` (several items)."""

    checked_actions = ("qualify", "qualify_bulk")

    @extend_schema(request=QualifySerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def qualify(self, request, pk=None):
        item = self.get_object()
        payload = QualifySerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        qualified = self._call(services_watch.item_qualify, item=item, acting_user=request.user, now=timezone.now(),
                               **_qualification(payload.validated_data))
        return Response(self.get_serializer(qualified).data)

    @extend_schema(operation_id="compliance_inbox_qualify_several", request=BulkQualifySerializer,
                   responses={200: inline_serializer("BulkQualified", {
        "qualified": serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="qualify")
    def qualify_bulk(self, request):
        payload = BulkQualifySerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        count = self._call(services_watch.items_qualify_bulk, items=payload.validated_data["items"],
                           acting_user=request.user, now=timezone.now(), **_qualification(payload.validated_data))
        return Response({"qualified": count})


def _qualification(data: dict) -> dict:
    return {"decision": data["decision"], "text": data.get("text"), "kind": data.get("kind") or "",
            "reason": data.get("reason") or ""}


class SourceApiMixin(ServiceCheckedMixin):
    """``POST .../sources/{id}/poll/``: poll the source now (in the background)."""

    checked_actions = ("poll",)

    @extend_schema(request=None, responses={202: inline_serializer("PollRequested", {"queued": serializers.BooleanField()})})
    @action(detail=True, methods=["post"])
    def poll(self, request, pk=None):
        source = self.get_object()
        self._call(services_watch.source_poll_request, source=source, acting_user=request.user)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)


# --- a site's applicability -------------------------------------------------------------------


class DecisionSerializer(serializers.Serializer):
    requirement = ScopedRelatedField(queryset=Requirement.objects.all())
    status = serializers.ChoiceField(choices=ApplicabilityStatus.choices)
    justification = serializers.CharField(required=False, allow_blank=True)


class DecisionsSerializer(serializers.Serializer):
    decisions = DecisionSerializer(many=True)


class SiteApplicabilityView(MemberApiView):
    """GET: the site's facts and, per requirement, what they say and what is recorded
    (``?headcount=``, ``?add_activity=``, ``?add_rubrique=&regime=``: what a changed fact
    would change). POST: record decisions."""

    def _site(self, request, pk):
        from qse.models import Site

        return get_object_or_404(Site.objects.restrict(request.user, "view"), pk=pk)

    @extend_schema(responses={200: inline_serializer("SiteApplicability", {
        "facts": serializers.DictField(), "requirements": serializers.ListField(), "change": serializers.DictField()})})
    def get(self, request, pk):
        from compliance.views_pages import applicability_data

        return Response(plain(applicability_data(request, self._site(request, pk))))

    @extend_schema(request=DecisionsSerializer, responses={200: inline_serializer("DecisionsRecorded", {
        "recorded": serializers.IntegerField()})})
    def post(self, request, pk):
        site = self._site(request, pk)
        payload = DecisionsSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        count = self.call(services.applicabilities_apply, site=site, rows=payload.validated_data["decisions"],
                          acting_user=request.user, today=timezone.localdate())
        return Response({"recorded": count})


register_api_path("compliance/sites/<int:pk>/applicability/", SiteApplicabilityView.as_view(),
                  "qse-site-compliance-applicability")


# --- the starter library ---------------------------------------------------------------------


class LibraryView(MemberApiView):
    """GET: the starter library's files; POST ``{"library_id": ...}``: load one into the
    organization (idempotent: a second load updates what the first made)."""

    @extend_schema(responses={200: inline_serializer("LibraryFile", {
        "id": serializers.CharField(), "version": serializers.IntegerField(), "name": serializers.CharField(),
        "texts": serializers.IntegerField(), "requirements": serializers.IntegerField()}, many=True)})
    def get(self, request):
        from compliance.library import library_summary

        return Response(plain(library_summary()))

    @extend_schema(request=inline_serializer("LibraryLoad", {"library_id": serializers.CharField()}),
                   responses={200: inline_serializer("LibraryLoaded", {
                       "texts_created": serializers.IntegerField(), "texts_updated": serializers.IntegerField(),
                       "requirements_created": serializers.IntegerField(),
                       "requirements_updated": serializers.IntegerField()})})
    def post(self, request):
        from compliance.library import libraries, library_load

        library_id = str(request.data.get("library_id", ""))
        if library_id not in libraries():
            return Response({"library_id": [_("Unknown library.")]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.call(library_load, library_id=library_id, acting_user=request.user))


register_api_path("compliance/library/", LibraryView.as_view(), "compliance-library")


class DashboardView(MemberApiView):
    """The compliance dashboard's figures (``?since=YYYY-MM-DD`` for the legal changes)."""

    @extend_schema(responses={200: inline_serializer("ComplianceDashboard", {
        "overall": serializers.DictField(), "by_site": serializers.ListField(), "by_domain": serializers.ListField(),
        "by_theme": serializers.ListField(), "never_evaluated": serializers.IntegerField()})})
    def get(self, request):
        from compliance.models import Evaluation
        from compliance.views_pages import dashboard_data
        from qse.permissions import can

        if not can(request.user, "view", Evaluation):
            return Response(status=status.HTTP_403_FORBIDDEN)
        data = dashboard_data(request)
        data["overdue"] = [{"id": e.pk, "requirement": str(e.requirement), "site": str(e.site),
                            "next_due_on": e.next_due_on} for e in data["overdue"]]
        data["gaps"] = [{"id": g["evaluation"].pk, "requirement": str(g["evaluation"].requirement),
                         "site": str(g["evaluation"].site), "status": g["evaluation"].status,
                         "actions": [{"id": a.pk, "title": a.title, "status": a.status} for a in g["actions"]]}
                        for g in data["gaps"]]
        data["changes"] = {"new_texts": [{"id": t.pk, "reference": t.reference} for t in data["changes"]["new_texts"]],
                           "versions": [{"id": v.pk, "text": v.text.reference, "number": v.number}
                                        for v in data["changes"]["versions"]]}
        data["failing_sources"] = [{"id": s.pk, "name": s.name, "error": s.last_error} for s in data["failing_sources"]]
        return Response(plain(data))


register_api_path("compliance/dashboard/", DashboardView.as_view(), "compliance-dashboard")
