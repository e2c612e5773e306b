"""Documents under control (ISO 7.5): declarations of documents and their versions on the
generic views, and the steps of a version (file, review, signatures, read acknowledgement),
each through the service the API calls too."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import serializers

from compliance import selectors_documents, services_documents
from compliance.api_documents import DocumentVersionApiMixin, version_file_response
from compliance.choices import DocumentKind, SignatureMeaning, VersionStatus
from compliance.models import ControlledDocument, DocumentVersion
from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.permissions import can
from qse.registry import add_nav, add_process_section, register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from qse.views.steps import run_step

# --- forms, filters, tables, serializers -------------------------------------------------

DOCUMENT_FIELDS = [
    "reference", "title", "kind", "owner", "site", "processes", "risks", "occupational_risks", "requirements",
    "distribution",
    "review_months", "review_due_on",
]
VERSION_FIELDS = ["document", "change_summary", "author", "reviewer", "approver"]


class ControlledDocumentForm(ScopedModelForm):
    class Meta:
        model = ControlledDocument
        fields = DOCUMENT_FIELDS
        widgets = {"processes": forms.CheckboxSelectMultiple, "distribution": forms.CheckboxSelectMultiple,
                   "risks": forms.SelectMultiple(attrs={"size": 4}),
                   "occupational_risks": forms.SelectMultiple(attrs={"size": 4})}


class DocumentVersionForm(ScopedModelForm):
    class Meta:
        model = DocumentVersion
        fields = VERSION_FIELDS


class ControlledDocumentFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=gettext_lazy("kind"))

    class Meta:
        model = ControlledDocument
        fields = ["q", "kind", "site", "processes", "owner"]

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=value) | queryset.filter(reference__icontains=value)


class DocumentVersionFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=gettext_lazy("status"))

    class Meta:
        model = DocumentVersion
        fields = ["document", "status"]


class ControlledDocumentTable(ObjectTable):
    reference = tables.Column(linkify=True)
    current = tables.Column(accessor="approved_versions", verbose_name=gettext_lazy("current version"),
                            orderable=False, empty_values=())
    key_columns = ("reference", "title")

    class Meta(ObjectTable.Meta):
        model = ControlledDocument
        fields = ["reference", "title", "kind", "site", "owner", "current", "review_due_on"]
        sequence = fields

    def render_current(self, value):
        return f"v{value[0].number}" if value else "—"

    def value_current(self, value):
        return self.render_current(value)


class DocumentVersionTable(ObjectTable):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("version"))

    class Meta(ObjectTable.Meta):
        model = DocumentVersion
        fields = ["number", "document", "status", "author", "approver", "approved_at", "obsolete_at"]
        sequence = fields

    def render_number(self, value, record):
        return str(record)


class ControlledDocumentSerializer(ScopedSerializer):
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = ControlledDocument
        fields = ["id", "url", *DOCUMENT_FIELDS, "current_version", "version", "archived_at"]
        read_only_fields = ["archived_at"]

    def get_current_version(self, obj) -> int | None:
        current = getattr(obj, "approved_versions", None)
        return current[0].pk if current else None


class SignatureSerializer(serializers.Serializer):
    signer = serializers.IntegerField(source="signer_id")
    meaning = serializers.CharField()
    signed_at = serializers.DateTimeField()
    comment = serializers.CharField()


class DocumentVersionSerializer(ScopedSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)
    readers = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id", "url", *VERSION_FIELDS, "number", "status", "file_name", "file_type", "file_size", "file_sha256",
            "file_url", "approved_at", "obsolete_at", "signatures", "readers", "version", "archived_at",
        ]
        read_only_fields = ["number", "status", "approved_at", "obsolete_at", "archived_at"]

    def get_file_url(self, obj) -> str:
        return f"/api/v1/compliance/document-versions/{obj.pk}/file/" if obj.file else ""

    def get_readers(self, obj) -> list[dict]:
        """Who of the distribution list has read this version (read_at null: not yet)."""
        if obj.status != VersionStatus.APPROVED or self.context.get("view") is None or \
                getattr(self.context["view"], "action", None) == "list":
            return []
        return [{"user": r.user.pk, "read_at": r.acknowledged_at} for r in selectors_documents.reading_status(obj)]


# --- declarations -------------------------------------------------------------------------


@register
class ControlledDocumentViews(ObjectViews):
    model = ControlledDocument
    url_prefix = "documents"
    table = ControlledDocumentTable
    form = ControlledDocumentForm
    filterset = ControlledDocumentFilterSet
    serializer = ControlledDocumentSerializer
    nav_block = "analyse"
    nav_order = 65

    @classmethod
    def get_queryset(cls, request):
        return selectors_documents.document_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        versions = list(selectors_documents.versions_of(obj, user=request.user))
        current = next((v for v in versions if v.status == VersionStatus.APPROVED), None)
        return {
            "versions": versions,
            "current": current,
            "readers": selectors_documents.reading_status(current) if current else [],
            "can_add_version": can(request.user, "add", DocumentVersion) and not obj.archived_at,
            "links": {
                "processes": list(obj.processes.all()), "risks": list(obj.risks.all()),
                "occupational_risks": list(obj.occupational_risks.select_related("work_unit")),
            },
        }


@register
class DocumentVersionViews(ObjectViews):
    model = DocumentVersion
    url_prefix = "document-versions"
    table = DocumentVersionTable
    form = DocumentVersionForm
    filterset = DocumentVersionFilterSet
    serializer = DocumentVersionSerializer
    api_mixins = (DocumentVersionApiMixin,)
    # The file is shown in its own card (name, size, fingerprint), never as a storage path.
    detail_exclude = (*ObjectViews.detail_exclude, "file", "file_type", "file_sha256", "file_size")

    @classmethod
    def get_queryset(cls, request):
        return selectors_documents.version_queryset().prefetch_related("signatures")

    @classmethod
    def create(cls, request, data: dict):
        return services_documents.document_version_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_documents.document_version_update(
            version=instance, acting_user=request.user, data=data, expected_version=expected_version
        )

    @classmethod
    def archive(cls, request, instance, reason: str = ""):
        return services_documents.document_version_archive(version=instance, acting_user=request.user, reason=reason)

    @classmethod
    def detail_context(cls, request, obj):
        user = request.user
        in_review = obj.status == VersionStatus.IN_REVIEW
        return {
            "signatures": selectors_documents.signatures_of(obj),
            "readers": selectors_documents.reading_status(obj) if obj.status == VersionStatus.APPROVED else [],
            "can_upload": obj.status == VersionStatus.DRAFT and can(user, "change", obj),
            "can_submit": obj.status == VersionStatus.DRAFT and can(user, "change", obj) and bool(obj.file),
            "may_review": in_review and obj.reviewer_id == user.pk,
            "may_approve": in_review and obj.approver_id == user.pk,
            "may_acknowledge": obj.status == VersionStatus.APPROVED
            and obj.document.distribution.filter(pk=user.pk).exists()
            and not obj.acknowledgements.filter(reader=user).exists(),
            "meanings": SignatureMeaning,
        }


add_nav("analyse", gettext_lazy("Documents to read"), "compliance:documents_to_read", model=DocumentVersion,
        order=66)
add_process_section(
    gettext_lazy("Controlled documents"), model=ControlledDocument, table=ControlledDocumentTable,
    rows=lambda user, process: selectors_documents.document_queryset().restrict(user, "view").filter(
        processes=process, archived_at__isnull=True),
    list_url_name="compliance:controlleddocument_list", order=72,
)


# --- the steps of a version -----------------------------------------------------------------


def _version(request, pk) -> DocumentVersion:
    """A version the user may see (another organization's: 404)."""
    return get_object_or_404(selectors_documents.version_queryset().restrict(request.user, "view"), pk=pk)


def _after_step(request, version, error: str | None, done: str):
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(request.POST.get("next") or version.get_absolute_url())


CONFLICT = gettext_lazy("This version was changed by someone else in the meantime: look at it again.")


@login_required
@require_POST
def version_upload(request, pk):
    version = _version(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _after_step(request, version, _("Choose a file to upload."), "")
    error, _status = run_step(lambda: services_documents.document_version_attach_file(
        version=version, acting_user=request.user, upload=upload, expected_version=_posted_version(request)),
        conflict=CONFLICT)
    return _after_step(request, version, error, _("File attached."))


@login_required
@require_POST
def version_submit(request, pk):
    version = _version(request, pk)
    error, _status = run_step(lambda: services_documents.document_version_submit(
        version=version, acting_user=request.user, expected_version=_posted_version(request)), conflict=CONFLICT)
    return _after_step(request, version, error, _("Version sent for review."))


@login_required
@require_POST
def version_sign(request, pk):
    version = _version(request, pk)
    meaning = request.POST.get("meaning", "")
    error, _status = run_step(lambda: services_documents.document_version_sign(
        version=version, acting_user=request.user, meaning=meaning, comment=request.POST.get("comment", ""),
        now=timezone.now(), expected_version=_posted_version(request)), conflict=CONFLICT)
    return _after_step(request, version, error, _("Signature recorded."))


@login_required
@require_POST
def version_acknowledge(request, pk):
    version = _version(request, pk)
    error, _status = run_step(lambda: services_documents.document_version_acknowledge(
        version=version, acting_user=request.user, now=timezone.now()), conflict=CONFLICT)
    return _after_step(request, version, error, _("Reading recorded: thank you."))


@login_required
def version_file(request, pk):
    """The version's file; an obsolete version's stays retrievable (and is marked on its page)."""
    version = _version(request, pk)
    if not version.file:
        raise Http404
    return version_file_response(version)


@login_required
def documents_to_read(request):
    """The approved documents distributed to me that I have not acknowledged yet."""
    if request.membership is None or not can(request.user, "view", DocumentVersion):
        raise PermissionDenied(_("You are not allowed to do this."))
    versions = selectors_documents.documents_to_read(user=request.user)
    return render(request, "compliance/documents_to_read.html", {"versions": versions})


def _posted_version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def urls() -> list:
    return [
        path("documents/to-read/", documents_to_read, name="documents_to_read"),
        path("document-versions/<int:pk>/file/", version_file, name="documentversion_file"),
        path("document-versions/<int:pk>/upload/", version_upload, name="documentversion_upload"),
        path("document-versions/<int:pk>/submit/", version_submit, name="documentversion_submit"),
        path("document-versions/<int:pk>/sign/", version_sign, name="documentversion_sign"),
        path("document-versions/<int:pk>/acknowledge/", version_acknowledge, name="documentversion_acknowledge"),
        *ControlledDocumentViews.urls(),
        *DocumentVersionViews.urls(),
    ]
