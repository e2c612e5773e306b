"""API operations beyond the declared models' CRUD: an audit's workflow, findings, follow-up
audit, signatures, plan invitation and report distribution; a programme's calendar, coverage
and risk-based frequencies. Each calls the service the page calls."""

from __future__ import annotations

import base64
import binascii

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from audits import invitations, selectors, services, services_findings
from audits.models import AuditAnswer
from audits.serializers import (
    AuditSerializer,
    AuditSignatureSerializer,
    AuditTransitionSerializer,
    FindingLinkSerializer,
    FindingSerializer,
    FollowUpSerializer,
)
from qse.api.operations import plain

ACTIONS_AS_VIEW = {"transition", "collect_findings", "findings", "follow_up", "link_finding", "sign", "send_plan",
                   "distribute_report", "coverage", "frequencies", "calendar"}


def decode_png(data_url: str) -> bytes:
    """The bytes of a ``data:image/png;base64,...`` URL (what the signature pad sends)."""
    prefix = "data:image/png;base64,"
    try:
        return base64.b64decode(data_url.removeprefix(prefix), validate=True)
    except (binascii.Error, ValueError):
        return b""


class AuditApiMixin:
    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in ACTIONS_AS_VIEW:
            return "view"  # each service asks for the right it needs (a clear refusal)
        return super().verb_for(request)

    @extend_schema(request=AuditTransitionSerializer, responses={200: AuditSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the audit to another status (planned, prepared, in progress, reported, closed, cancelled)."""
        audit = self.get_object()
        payload = AuditTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        moved = self._call(services.audit_transition, audit=audit, acting_user=request.user,
                           to_status=payload.validated_data["status"],
                           expected_version=payload.validated_data.get("version"),
                           reason=payload.validated_data.get("reason", ""))
        return Response(AuditSerializer(moved, context=self.get_serializer_context()).data)

    @extend_schema(responses={200: FindingSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def findings(self, request, pk=None):
        """The audit's findings with their events."""
        rows = selectors.audit_findings(self.get_object(), user=request.user)
        data = FindingSerializer([row["finding"] for row in rows], many=True).data
        for item, row in zip(data, rows, strict=True):
            item["actions"] = row["actions"]
        return Response(data)

    @extend_schema(request=None, responses={200: FindingSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="collect-findings")
    def collect_findings(self, request, pk=None):
        """Make a finding (and its event) of every nonconforming answer that has none yet."""
        created = self._call(services_findings.collect_findings, audit=self.get_object(), acting_user=request.user)
        return Response(FindingSerializer(created, many=True).data)

    @extend_schema(request=FindingLinkSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"], url_path="link-finding")
    def link_finding(self, request, pk=None):
        """Link a nonconforming answer of this audit to an existing event."""
        from nonconformities.models import Event

        audit = self.get_object()
        payload = FindingLinkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answer = AuditAnswer.objects.restrict(request.user, "view").filter(
            question__audit=audit, pk=payload.validated_data["answer"]).first()
        event = Event.objects.restrict(request.user, "view").filter(pk=payload.validated_data["event"]).first()
        if answer is None or event is None:
            raise ApiValidationError({"answer" if answer is None else "event": ["Not found."]})
        finding = self._call(services_findings.finding_link, answer=answer, event=event, acting_user=request.user)
        return Response(FindingSerializer(finding).data, status=201)

    @extend_schema(request=FollowUpSerializer, responses={201: AuditSerializer})
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """Plan a follow-up audit of this one (same scope, the clauses of its findings)."""
        audit = self.get_object()  # another organization's audit is a 404 before any body check
        payload = FollowUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = self._call(services.follow_up_create, audit=audit, acting_user=request.user,
                             planned_start=payload.validated_data["planned_start"])
        return Response(AuditSerializer(created, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=AuditSignatureSerializer, responses={200: AuditSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Store a drawn signature (PNG data URL) of the lead auditor or the auditee's representative."""
        audit = self.get_object()  # another organization's audit is a 404 before any body check
        payload = AuditSignatureSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        signed = self._call(services.audit_sign, audit=audit, acting_user=request.user,
                            signer=payload.validated_data["signer"], name=payload.validated_data.get("name", ""),
                            content=decode_png(payload.validated_data["image"]))
        return Response(AuditSerializer(signed, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="send-plan")
    def send_plan(self, request, pk=None):
        """E-mail the audit plan to the auditees with an iCalendar invitation."""
        sent = self._call(invitations.audit_plan_send, audit=self.get_object(), acting_user=request.user)
        return Response({"sent_to": sent})

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="distribute-report")
    def distribute_report(self, request, pk=None):
        """E-mail the auditees the link to the audit's report."""
        audit = self.get_object()
        sent = self._call(invitations.report_distribute, audit=audit, acting_user=request.user,
                          link=request.build_absolute_uri(audit.get_absolute_url()))
        return Response({"sent_to": sent})


class AuditProgrammeApiMixin:
    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in ACTIONS_AS_VIEW:
            return "view"
        return super().verb_for(request)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """Every clause of the standards and every process: covered by the year's audits or a gap."""
        coverage = selectors.programme_coverage(self.get_object(), user=request.user)
        return Response(plain({
            "standards": [{"standard": s["standard"], "covered": s["covered"], "total": s["total"],
                           "gaps": [number for number, _title, _done in s["gaps"]]} for s in coverage["standards"]],
            "process_gaps": [process.pk for process in coverage["process_gaps"]],
        }))

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def frequencies(self, request, pk=None):
        """Per process: the proposed audit frequency from its high risks and events, with the reason."""
        rows = selectors.process_frequencies(self.get_object(), user=request.user, today=timezone.localdate())
        return Response([{"process": row["process"].pk, "per_year": row["frequency"].per_year,
                          "reason": row["frequency"].reason, "planned": row["planned"], "needed": row["needed"]}
                         for row in rows])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def calendar(self, request, pk=None):
        """The programme's audits month by month."""
        months = selectors.programme_calendar(self.get_object(), user=request.user)
        return Response([{"month": month.isoformat()[:7], "audits": [audit.pk for audit in audits]}
                         for month, audits in months])
