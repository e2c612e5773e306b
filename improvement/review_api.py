"""API actions of a management review beyond CRUD: its steps, its frozen inputs, a comment."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement import review_docx, services_review
from improvement.review_serializers import (
    ManagementReviewSerializer,
    ReviewCommentSerializer,
    ReviewInputSerializer,
    ReviewStepSerializer,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ManagementReviewApiMixin:
    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in {"step", "comment"}:
            return "change" if self.action == "step" else "view"  # the comment's service asks the input's right
        if getattr(self, "action", None) in {"inputs", "word"}:
            return "view"
        return super().verb_for(request)

    @extend_schema(request=ReviewStepSerializer, responses=ManagementReviewSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """Collect (again) the inputs, mark the review held, or close it."""
        review = self.get_object()
        payload = ReviewStepSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = self._call(services_review.review_advance, review=review, acting_user=request.user,
                             to_status=payload.validated_data["status"],
                             expected_version=payload.validated_data.get("version"))
        return Response(ManagementReviewSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(responses=ReviewInputSerializer(many=True))
    @action(detail=True, methods=["get"])
    def inputs(self, request, pk=None):
        """The review's inputs as frozen when they were collected, in clause order."""
        review = self.get_object()
        items = review.inputs.order_by("position", "pk")
        context = {"language": (get_language() or "fr")[:2]}
        return Response(ReviewInputSerializer(items, many=True, context=context).data)

    @extend_schema(request=ReviewCommentSerializer, responses=ReviewInputSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """The coordinator's comment on one input of the review."""
        review = self.get_object()
        payload = ReviewCommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        item = get_object_or_404(review.inputs.all(), pk=data["input"])
        updated = self._call(services_review.review_input_comment, review_input=item, acting_user=request.user,
                             comment=data["comment"], expected_version=data.get("version"))
        return Response(ReviewInputSerializer(updated, context={"language": (get_language() or "fr")[:2]}).data)

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def word(self, request, pk=None):
        """The review pack as a Word document (the page's "Word" button)."""
        review = self.get_object()
        response = HttpResponse(review_docx.review_docx(review), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{slugify(review.title) or "revue"}-{review.pk}.docx"'
        return response
