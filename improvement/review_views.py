"""Management reviews: declarations on the generic views (list, page, form, API), the
review's steps, the HTMX comment of an input and the Word export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from improvement import review_docx, review_selectors, review_workflow, services_review
from improvement.models import ManagementReview, ReviewDecision, ReviewInput
from improvement.review_api import ManagementReviewApiMixin
from improvement.review_forms import CommentForm, ManagementReviewForm, ReviewDecisionForm
from improvement.review_serializers import ManagementReviewSerializer, ReviewDecisionSerializer
from improvement.review_tables import ManagementReviewTable, ReviewDecisionTable
from qse.permissions import can
from qse.registry import register
from qse.views.declarations import ObjectViews
from qse.views.steps import run_step

CONFLICT = gettext_lazy("This review was changed by someone else in the meantime; reload and try again.")


@register
class ManagementReviewViews(ObjectViews):
    model = ManagementReview
    table = ManagementReviewTable
    form = ManagementReviewForm
    serializer = ManagementReviewSerializer
    api_mixins = (ManagementReviewApiMixin,)
    nav_block = "improve"
    nav_order = 60
    url_prefix = "reviews"
    detail_exclude = ObjectViews.detail_exclude + ("attendees", "minutes")

    @classmethod
    def get_queryset(cls, request):
        return review_selectors.review_queryset()

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services_review.review_update(review=instance, acting_user=request.user, data=data,
                                             expected_version=expected_version)

    @classmethod
    def detail_context(cls, request, obj) -> dict:
        collected = obj.status != review_workflow.DRAFT
        chapters = review_selectors.review_chapters(obj) if collected else review_selectors.review_planned_chapters(obj)
        decisions = review_selectors.review_decisions(obj)
        may_comment = collected and obj.status in review_workflow.COMMENTABLE and can(request.user, "change", ReviewInput)
        return {
            "chapters": chapters,
            "collected": collected,
            "clause_rows": review_selectors.review_clause_table(obj, chapters),
            "decisions_table": ReviewDecisionTable(decisions, request=request, exclude=("review",)),
            "may_decide": obj.status in review_workflow.DECIDABLE and can(request.user, "add", ReviewDecision),
            "steps": review_workflow.offered_steps(obj.status) if can(request.user, "change", obj) else [],
            "may_comment": may_comment,
            "not_available": review_selectors.not_available_text(),
        }


@register
class ReviewDecisionViews(ObjectViews):
    model = ReviewDecision
    table = ReviewDecisionTable
    form = ReviewDecisionForm
    serializer = ReviewDecisionSerializer
    parent = ("review", ManagementReview, "review")
    url_prefix = "decisions"

    @classmethod
    def get_queryset(cls, request):
        return ReviewDecision.objects.select_related("owner", "action", "review")

    @classmethod
    def create(cls, request, data: dict):
        review = data.pop("review")
        return services_review.review_decision_create(review=review, acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services_review.review_decision_update(decision=instance, acting_user=request.user, data=data,
                                                      expected_version=expected_version)


def _review(request, pk, verb="view") -> ManagementReview:
    return get_object_or_404(ManagementReview.objects.restrict(request.user, verb), pk=pk)


def _version(request):
    value = request.POST.get("version")
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def review_step(request, pk):
    """Collect the inputs, mark held, close: the same service as the API's step."""
    review = _review(request, pk)
    error, status = run_step(lambda: services_review.review_advance(
        review=review, acting_user=request.user, to_status=request.POST.get("status", ""),
        expected_version=_version(request),
    ), conflict=CONFLICT)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(review.get_absolute_url())


@login_required
@require_POST
def input_comment(request, pk):
    """The coordinator's comment on one input (``input`` in the form, as in the API); HTMX
    swaps the comment block in place."""
    review = _review(request, pk)
    input_pk = request.POST.get("input", "")
    item = get_object_or_404(ReviewInput.objects.restrict(request.user, "view").filter(review=review),
                             pk=int(input_pk) if input_pk.isdigit() and len(input_pk) < 18 else 0)
    form = CommentForm(request.POST)
    error, status = _("Write a comment."), 400
    if form.is_valid():
        error, status = run_step(lambda: services_review.review_input_comment(
            review_input=item, acting_user=request.user, comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        ), conflict=CONFLICT)
    item.refresh_from_db()
    if request.htmx:
        context = {"chapter": {"input": item, "comment": item.comment}, "object": review, "may_comment": True,
                   "comment_error": error}
        return render(request, "improvement/review/_comment.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(item.get_absolute_url())


@login_required
def review_word(request, pk):
    """The pack as a Word document, for those who edit in Word (same content as the PDF)."""
    review = _review(request, pk)
    body = review_docx.review_docx(review)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{slugify(review.title) or "revue"}-{review.pk}.docx"'
    return response
