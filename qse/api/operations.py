"""API operations that are not a declared model's CRUD: who am I, the organization's people,
report requests, imports, and the bases the apps use for theirs (figures, versions,
libraries). Each parses its input, makes one service or selector call, and answers.

Authentication and scoping are those of the generic viewsets: a token activates its own
organization, a session the current one, and every read goes through ``restrict()``.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404 as drf_get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qse import import_values as value_step
from qse import imports, reports
from qse.api.authentication import activate_token_organization
from qse.api.viewsets import ScopedPagination
from qse.models import Attachment, GeneratedReport, ReportStatus, Site
from qse.tenancy import current_organization


class IsMember(permissions.BasePermission):
    """A member of the current organization (the token's, or the session's)."""

    def has_permission(self, request, view):
        return getattr(request, "membership", None) is not None


class MemberApiMixin:
    """Token organization first, then membership; refusals as in the generic viewsets."""

    permission_classes = [permissions.IsAuthenticated, IsMember]

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        activate_token_organization(request)
        super().initial(request, *args, **kwargs)

    def call(self, service, *args, **kwargs):
        """A service's refusal as the API's: 400 for a rule, 403 for a right."""
        try:
            return service(*args, **kwargs)
        except DjangoValidationError as error:
            raise ApiValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
        except DjangoPermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error


class MemberApiView(MemberApiMixin, APIView):
    pass


class MemberViewSet(MemberApiMixin, viewsets.GenericViewSet):
    pagination_class = ScopedPagination
    lookup_value_regex = r"[0-9]+"  # ids only: anything else is no route (404), never a 500


def plain(value):
    """Selector results (dataclasses, dates, decimals, lazy strings) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Derived figures (TF, TG) are properties of the dataclass: they are part of the data.
        names = [f.name for f in dataclasses.fields(value)]
        names += [n for n, member in vars(type(value)).items() if isinstance(member, property) and not n.startswith("_")]
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k if not isinstance(k, datetime.date) else k.isoformat()): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# --- who am I, and who is here --------------------------------------------------------------


def _full_name(user) -> str:
    return user.get_full_name() or user.get_username()


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class MembershipRefSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer()
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    organization = OrganizationRefSerializer()
    role = serializers.CharField()
    memberships = MembershipRefSerializer(many=True)


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


def _membership_data(membership) -> dict:
    organization = membership.organization
    return {"organization": {"id": organization.pk, "name": organization.name, "slug": organization.slug},
            "role": membership.role}


class MeView(MemberApiView):
    """The calling user: their id, name, current organization and role, and memberships."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user, current = request.user, request.membership
        # The memberships the request already loaded to choose the organization (no query).
        memberships = sorted(request.memberships, key=lambda m: m.organization.name)
        data = {"id": user.pk, "username": user.get_username(), "full_name": _full_name(user), "email": user.email,
                **_membership_data(current), "memberships": [_membership_data(m) for m in memberships]}
        return Response(MeSerializer(data).data)


class PeopleViewSet(MemberViewSet):
    """The members of the current organization (ids to give as owner, verifier, ...)."""

    serializer_class = PersonRefSerializer

    def get_queryset(self):
        from qse.forms import members_queryset

        return members_queryset().order_by("last_name", "first_name", "username")

    @extend_schema(responses=PersonRefSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        rows = [{"id": user.pk, "full_name": _full_name(user)} for user in page]
        return self.get_paginated_response(PersonRefSerializer(rows, many=True).data)


# --- PDF reports --------------------------------------------------------------------------


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=100)
    object_id = serializers.IntegerField(min_value=1)


class ReportSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = ["id", "kind", "object_id", "language", "status", "progress", "page_count", "error",
                  "created_at", "finished_at", "download"]
        read_only_fields = fields

    def get_download(self, report) -> str:
        return f"/api/v1/reports/{report.pk}/download/" if report.status == ReportStatus.DONE else ""


class ReportViewSet(MemberViewSet):
    """Ask for a PDF (built in the background), follow it, download it: the page's services."""

    serializer_class = ReportSerializer
    queryset = GeneratedReport.objects.none()

    def get_queryset(self):
        return reports.report_queryset(self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={201: ReportSerializer})
    def create(self, request):
        payload = ReportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = reports.report_kind(payload.validated_data["kind"])
        if entry is None:
            raise NotFound()
        target = get_object_or_404(reports.report_targets(entry, request.user), pk=payload.validated_data["object_id"])
        report = self.call(reports.report_request, kind=entry.kind, target=target, acting_user=request.user)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return Response(ReportSerializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = drf_get_object_or_404(self.get_queryset().filter(status=ReportStatus.DONE), pk=pk)
        response = FileResponse(report.file.open("rb"), content_type="application/pdf", as_attachment=True,
                                filename=reports.report_filename(report))
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- imports ------------------------------------------------------------------------------

PREVIEW_ROWS = 5


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportMappingSerializer(serializers.Serializer):
    token = serializers.RegexField(r"^[0-9a-f]{32}$", help_text=_("The token the upload answered."))
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                    help_text=_("Column of the file -> field to fill (empty: ignored)."))


class ImportDecisionsSerializer(ImportMappingSerializer):
    values = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False,
        help_text=_("The value step's answers: field -> {wording of the file: value}; a value is a choice's "
                    "value, a record's id, or “+” to create the record the wording names (see import/values/)."),
    )
    site = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=_("Site of the records created that need one (work units)."))


class ImportApiMixin:
    """``POST .../import/``: upload (returns the columns, a proposed mapping and a preview);
    ``POST .../import/validate/``: check every row with a mapping, nothing saved;
    ``POST .../import/commit/``: import all rows or none. The page's generic import
    functions (``qse.imports``), the declaration's form and save."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in {"import_upload", "import_values", "import_validate", "import_commit"}:
            return "add"
        return super().verb_for(request)

    def _pending(self) -> dict:
        # The page's pending uploads (a bounded private file per user, never the broker's
        # Redis): an upload made on one side can be mapped on the other.
        return {"organization_id": current_organization().pk, "user_id": self.request.user.pk}

    def _frame(self, token: str):
        content = imports.pending_read(token=token, **self._pending())
        if content is None:
            raise ApiValidationError({"token": [_("The uploaded file has expired; please upload it again.")]})
        return imports.read_table(content, "")

    def _mapped(self, payload):
        payload.is_valid(raise_exception=True)
        frame = self._frame(payload.validated_data["token"])
        allowed = set(self.declaration.import_fields)
        mapping = {column: field for column, field in payload.validated_data["mapping"].items()
                   if field in allowed and column in frame.columns}
        return frame, mapping

    def _creation_site(self, site_id):
        if site_id is None:
            sites = Site.objects.restrict(self.request.user, "view").filter(archived_at__isnull=True)
            return sites.first()
        return drf_get_object_or_404(Site.objects.restrict(self.request.user, "view"), pk=site_id)

    def _run(self, payload, *, commit: bool):
        frame, mapping = self._mapped(payload)
        data = payload.validated_data
        with transaction.atomic():
            result = imports.validate_and_import(
                frame=frame, mapping=mapping, form_class=self.declaration.import_form_class(), user=self.request.user,
                acting_user=self.request.user, save=self.declaration.import_save,
                decisions=value_step.decisions_from_texts(data.get("values")),
                site=self._creation_site(data.get("site")),
            )
            if not commit:
                transaction.set_rollback(True)  # a dry run: every check, nothing kept
        errors = [{"row": e.row, "column": e.column, "field": e.field, "message": str(e.message)}
                  for e in result.errors]
        if errors:
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        if commit:
            imports.pending_delete(token=data["token"], **self._pending())
        # A dry run says how many rows would be created; a commit, how many were.
        return Response({"rows": len(frame), "created": result.created, "records_created": result.references,
                         "saved": commit}, status=status.HTTP_201_CREATED if commit else status.HTTP_200_OK)

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_upload(self, request, *args, **kwargs):
        payload = ImportUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        try:
            content = imports.read_upload(upload)
            frame = imports.read_table(content, upload.name)
        except imports.ImportFileError as error:
            raise ApiValidationError({"file": [str(error)]}) from error
        token = imports.pending_save(content=content, **self._pending())
        columns = [str(c) for c in frame.columns]
        return Response({
            "token": token, "columns": columns, "rows": len(frame), "fields": list(self.declaration.import_fields),
            "header_row": frame.attrs.get("header_row"),
            "mapping": imports.propose_mapping(columns, self.declaration.import_form_class(),
                                               self.declaration.import_fields),
            "preview": [[imports.clip(cell) for cell in row] for row in frame.head(PREVIEW_ROWS).values.tolist()],
        })

    @extend_schema(request=ImportMappingSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="import/values")
    def import_values(self, request, *args, **kwargs):
        """The value step: each choice or reference column's wordings with the proposed value
        and how it was found; ``to_confirm`` says whether the page would ask the user."""
        frame, mapping = self._mapped(ImportMappingSerializer(data=request.data))
        plan = value_step.value_plan(frame=frame, mapping=mapping, form_class=self.declaration.import_form_class(),
                                        user=request.user)
        return Response({
            "to_confirm": value_step.needs_confirmation(plan),
            "columns": [{
                "column": column.column, "field": column.field, "can_create": column.can_create,
                "needs_site": column.needs_site, "options": [[value, label] for value, label in column.options],
                "values": [{"text": w.text, "rows": w.count, "proposed": w.proposed, "how": w.how}
                           for w in column.wordings],
            } for column in plan],
        })

    @extend_schema(request=ImportDecisionsSerializer, responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="import/validate")
    def import_validate(self, request, *args, **kwargs):
        return self._run(ImportDecisionsSerializer(data=request.data), commit=False)

    @extend_schema(request=ImportDecisionsSerializer, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="import/commit")
    def import_commit(self, request, *args, **kwargs):
        return self._run(ImportDecisionsSerializer(data=request.data), commit=True)


def month_parameter(name: str, description) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=description)


figures_response = inline_serializer("Figures", fields={"data": serializers.DictField()})


# --- attachments and notifications ------------------------------------------------------------


class AttachmentUploadSerializer(serializers.Serializer):
    content_type = serializers.IntegerField(help_text=_("Content type id of the record the file belongs to."))
    object_id = serializers.IntegerField(min_value=1)
    file = serializers.FileField()
    caption = serializers.CharField(required=False, allow_blank=True, max_length=255)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "content_type", "object_id", "original_name", "mime_type", "size", "caption", "archived_at"]
        read_only_fields = fields


class AttachmentViewSet(MemberViewSet):
    """Files attached to a record: the page's lookup of the record (what the user may see)
    and the page's upload service (checked by content, size-limited)."""

    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return Attachment.objects.restrict(self.request.user, "view")

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer}, responses={201: AttachmentSerializer})
    def create(self, request):
        from qse.uploads import attachment_create
        from qse.views.pages import _target_of  # the page's rule for which records take files

        payload = AttachmentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        target = _target_of(request, data["content_type"], data["object_id"])
        attachment = self.call(attachment_create, target=target, upload=data["file"], caption=data.get("caption", ""),
                               acting_user=request.user)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return Response(AttachmentSerializer(self.get_object()).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        from qse.services import ensure_can, object_archive

        attachment = self.get_object()
        self.call(ensure_can, request.user, "archive", attachment)
        self.call(object_archive, obj=attachment, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationsReadView(MemberApiView):
    """Mark every notification of the calling user read (the bell's "mark all read")."""

    @extend_schema(request=None, responses=inline_serializer("NotificationsRead", fields={
        "marked": serializers.IntegerField()}), operation_id="notifications_read_create")
    def post(self, request):
        from qse import notifications

        return Response({"marked": notifications.notifications_mark_read(user=request.user)})
