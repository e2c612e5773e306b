"""The offline checklist's API (``/api/v1/audits/<id>/...``): the bundle, the lease, the sync
of changes, photos by their device-chosen id, and conflict resolution. The checklist page
uses nothing else, online or offline."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from audits import selectors_offline as selectors
from audits import services_offline as services
from audits.models import AnswerOp, Audit
from qse.api.operations import MemberApiView, plain
from qse.registry import register_api_path

BUNDLE = inline_serializer("ChecklistBundle", {
    "audit": serializers.DictField(), "questions": serializers.ListField(), "lease": serializers.DictField(allow_null=True),
    "may_answer": serializers.BooleanField(), "lookups": serializers.DictField(), "user": serializers.DictField(),
    "generated_at": serializers.DateTimeField(),
})


def _refused(error: DjangoValidationError) -> Response:
    return Response({"error": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


class AuditApiView(MemberApiView):
    """An audit the user may see (another organization's: 404)."""

    def audit(self, request, pk) -> Audit:
        return get_object_or_404(Audit.objects.restrict(request.user, "view"), pk=pk)

    def run(self, service, **kwargs):
        """A service's refusal of a right as a 403; its refusal of a rule is left to the caller
        (answered as ``{"error": ...}``, which the page shows as is)."""
        try:
            return service(**kwargs)
        except DjangoPermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error

    def device(self, request) -> str:
        value = request.data.get("device", "") if isinstance(request.data, dict) else ""
        return str(value)[:64]


class ChecklistView(AuditApiView):
    """GET: the audit's checklist bundle (questions, answers with their versions, photos,
    conflicts, lease)."""

    @extend_schema(responses={200: BUNDLE})
    def get(self, request, pk):
        return Response(plain(selectors.checklist_bundle(audit=self.audit(request, pk), user=request.user,
                                                         now=timezone.now())))


class PrepareView(AuditApiView):
    """POST ``{"device", "device_label"}``: reserve the audit to this device (the lease) and
    answer the bundle to keep offline. Reserved by another device: 409 with the holder's name."""

    @extend_schema(request=inline_serializer("OfflinePrepare", {
        "device": serializers.CharField(), "device_label": serializers.CharField(required=False)}),
        responses={200: BUNDLE})
    def post(self, request, pk):
        audit = self.audit(request, pk)
        label = request.data.get("device_label", "") if isinstance(request.data, dict) else ""
        now = timezone.now()
        try:
            self.run(services.lease_take, audit=audit, acting_user=request.user, device=self.device(request),
                     device_label=str(label), now=now)
        except DjangoValidationError as error:
            taken = selectors.lease_of(audit, now) is not None
            return Response({"error": " ".join(error.messages)},
                            status=status.HTTP_409_CONFLICT if taken else status.HTTP_400_BAD_REQUEST)
        return Response(plain(selectors.checklist_bundle(audit=audit, user=request.user, now=now)))


class ReleaseView(AuditApiView):
    """POST ``{"device"}``: end the reservation (its device, its auditor or a coordinator)."""

    @extend_schema(request=inline_serializer("OfflineRelease", {"device": serializers.CharField()}),
                   responses={200: inline_serializer("OfflineReleased", {"released": serializers.BooleanField()})})
    def post(self, request, pk):
        try:
            lease = self.run(services.lease_release, audit=self.audit(request, pk), acting_user=request.user,
                             device=self.device(request), now=timezone.now())
        except DjangoValidationError as error:
            return _refused(error)
        return Response({"released": lease is not None})


class SyncView(AuditApiView):
    """POST ``{"device", "ops": [{"op_id", "question", "values", "base_version", "made_at"}]}``:
    apply the changes in order; one status per change (applied, duplicate, conflict, rejected).
    Sent again, the same changes answer the same statuses and change nothing."""

    @extend_schema(request=inline_serializer("ChecklistSync", {
        "device": serializers.CharField(), "ops": serializers.ListField(child=serializers.DictField())}),
        responses={200: inline_serializer("ChecklistSynced", {"results": serializers.ListField()})})
    def post(self, request, pk):
        audit = self.audit(request, pk)
        ops = request.data.get("ops") if isinstance(request.data, dict) else None
        if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
            return Response({"error": _("Send the changes as a list of objects under \"ops\".")},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            outcomes = self.run(services.ops_apply, audit=audit, ops=ops, acting_user=request.user,
                                 device=self.device(request), now=timezone.now())
        except DjangoValidationError as error:
            return _refused(error)
        return Response({"results": [outcome.as_dict() for outcome in outcomes]})


class PhotoView(AuditApiView):
    """PUT the photo's bytes (JPEG, PNG or WebP) under the id its device chose, with
    ``?question=<id>&taken_at=<ISO time>``: 201 stored, 200 already stored (a replay).
    DELETE with ``?removal=<uuid>``: the photo is removed from its answer, once."""

    @extend_schema(parameters=[OpenApiParameter("question", OpenApiTypes.INT, OpenApiParameter.QUERY),
                               OpenApiParameter("taken_at", OpenApiTypes.DATETIME, OpenApiParameter.QUERY,
                                                required=False)],
                   request={"image/jpeg": OpenApiTypes.BINARY},
                   responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT})
    def put(self, request, pk, photo):
        audit = self.audit(request, pk)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > services.photo_max_bytes():
            return Response({"error": _("The photo is too large (at most %(size)s MB).")
                             % {"size": services.photo_max_bytes() // (1024 * 1024)}},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            outcome = self.run(
                services.photo_store, audit=audit, photo_uuid=uuid.UUID(str(photo)),
                question_id=request.query_params.get("question"), content=request.body, acting_user=request.user,
                taken_at=services._parse_time(request.query_params.get("taken_at")),
            )
        except DjangoValidationError as error:
            return _refused(error)
        body = {"uuid": str(outcome.photo.uuid), "sha256": outcome.photo.sha256, "bytes": outcome.photo.bytes,
                "question": outcome.photo.question_id, "created": outcome.created}
        return Response(body, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)

    @extend_schema(parameters=[OpenApiParameter("removal", OpenApiTypes.UUID, OpenApiParameter.QUERY)],
                   responses={200: inline_serializer("PhotoRemoved", {"status": serializers.CharField()})})
    def delete(self, request, pk, photo):
        """Remove the photo from its answer, under the removal's own id (``?removal=<uuid>``):
        ``removed``, ``duplicate`` (sent again, or already removed) or ``absent``."""
        audit = self.audit(request, pk)
        try:
            removal = uuid.UUID(str(request.query_params.get("removal", "")))
        except ValueError:
            return Response({"error": _("A removal needs an identifier (UUID).")}, status=status.HTTP_400_BAD_REQUEST)
        try:
            outcome = self.run(services.photo_remove, audit=audit, photo_uuid=uuid.UUID(str(photo)),
                               removal_id=removal, acting_user=request.user, now=timezone.now())
        except DjangoValidationError as error:
            return _refused(error)
        return Response({"status": outcome})


class ResolveView(AuditApiView):
    """POST ``{"choice": "tablet" | "server" | "both"}``: settle a conflict on a question."""

    @extend_schema(request=inline_serializer("ConflictResolve", {"choice": serializers.CharField()}),
                   responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk, op):
        audit = self.audit(request, pk)
        conflict = get_object_or_404(AnswerOp.objects.restrict(request.user, "view"), audit=audit, op_id=op)
        choice = request.data.get("choice", "") if isinstance(request.data, dict) else ""
        try:
            answer = self.run(services.conflict_resolve, op=conflict, choice=str(choice), acting_user=request.user,
                               now=timezone.now())
        except DjangoValidationError as error:
            return _refused(error)
        return Response(plain({"question": answer.question_id, "version": answer.version,
                               "values": services.answer_values(answer)}))


register_api_path("audits/<int:pk>/checklist/", ChecklistView.as_view(), "audits-audit-checklist")
register_api_path("audits/<int:pk>/offline/", PrepareView.as_view(), "audits-audit-offline-prepare")
register_api_path("audits/<int:pk>/offline/release/", ReleaseView.as_view(), "audits-audit-offline-release")
register_api_path("audits/<int:pk>/sync/", SyncView.as_view(), "audits-audit-sync")
register_api_path("audits/<int:pk>/photos/<uuid:photo>/", PhotoView.as_view(), "audits-audit-photo")
register_api_path("audits/<int:pk>/conflicts/<uuid:op>/resolve/", ResolveView.as_view(), "audits-audit-conflict-resolve")
