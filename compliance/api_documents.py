"""API operations of documents under control beyond CRUD, each through the page's service:
the version's file (put while draft, read any time), sending for review, signing, reading
acknowledgement, and withdrawing a draft."""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from compliance.choices import SignatureMeaning
from qse.api.viewsets import ArchiveSerializer

# The steps whose right is a workflow guard on the named person (the service checks it), or
# the change right on the version (the service checks it too): the viewset asks only "view".
STEP_VERBS = {"file": "view", "sign": "view", "acknowledge": "view", "submit": "change", "upload": "change"}


class SignSerializer(serializers.Serializer):
    meaning = serializers.ChoiceField(choices=SignatureMeaning.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class DocumentVersionApiMixin:
    def verb_for(self, request) -> str:
        verb = STEP_VERBS.get(getattr(self, "action", None))
        return verb or super().verb_for(request)

    def _version_payload(self, version):
        from compliance.views_documents import DocumentVersionSerializer

        return DocumentVersionSerializer(version, context=self.get_serializer_context()).data

    @extend_schema(request=inline_serializer("VersionUpload", {"file": serializers.FileField()}),
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request, pk=None):
        """Put or replace the file of a draft (checked by content and size); refused once in review."""
        from compliance import services_documents

        version = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": [_("Choose a file to upload.")]})
        updated = self._call(services_documents.document_version_attach_file, version=version,
                             acting_user=request.user, upload=upload)
        return Response(self._version_payload(updated))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The version's file (obsolete versions included: they stay retrievable)."""
        version = self.get_object()
        if not version.file:
            raise NotFound()
        return version_file_response(version)

    @extend_schema(request=StepSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        from compliance import services_documents

        version = self.get_object()
        updated = self._call(services_documents.document_version_submit, version=version, acting_user=request.user,
                             expected_version=request.data.get("version"))
        return Response(self._version_payload(updated))

    @extend_schema(request=SignSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign as the named reviewer or approver (meaning: reviewed, approved, rejected)."""
        from compliance import services_documents

        version = self.get_object()
        payload = SignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        self._call(services_documents.document_version_sign, version=version, acting_user=request.user,
                   meaning=payload.validated_data["meaning"], comment=payload.validated_data["comment"],
                   now=timezone.now(), expected_version=payload.validated_data.get("version"))
        version.refresh_from_db()
        return Response(self._version_payload(version), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Record that the requesting person read this approved version (once)."""
        from compliance import services_documents

        version = self.get_object()
        acknowledgement = self._call(services_documents.document_version_acknowledge, version=version,
                                     acting_user=request.user, now=timezone.now())
        return Response({"document_version": version.pk, "reader": acknowledgement.reader_id,
                         "acknowledged_at": acknowledgement.acknowledged_at}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArchiveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Withdraw a draft; approved and obsolete versions are kept."""
        from compliance import services_documents

        version = self.get_object()
        self._call(services_documents.document_version_archive, version=version, acting_user=request.user,
                   reason=request.data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


def version_file_response(version) -> FileResponse:
    """The stored file under its uploaded name, never rendered by the browser as a page."""
    response = FileResponse(
        version.file.open("rb"), content_type=version.file_type or "application/octet-stream",
        as_attachment=version.file_type != "application/pdf", filename=version.file_name or "document",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
