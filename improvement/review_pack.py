"""The management review pack: the PDF (a report kind of ``qse.reports``, rendered in Celery)
and the plain data the Word export shares with it. Everything comes from the frozen inputs
and the decisions, so the pack of a held review is the pack that was discussed."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils.translation import gettext_lazy

from improvement import review_selectors
from improvement.models import ManagementReview
from qse.reports import register_report
from qse.standards import Standard


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def review_pack_data(review: ManagementReview, *, for_pdf: bool) -> dict:
    """What the pack holds: the review, its chapters (one per input), the clause
    cross-reference and the decisions. A fixed number of queries whatever the inputs."""
    chapters = review_selectors.review_chapters(review, for_pdf=for_pdf)
    standard_labels = dict(Standard.choices)
    return {
        "review": review,
        "standards": [str(standard_labels.get(code, code)) for code in review.standards],
        "sites": [str(site) for site in review.sites.all()],
        "attendees": [line.strip() for line in review.attendees.splitlines() if line.strip()],
        "chapters": chapters,
        "clause_rows": review_selectors.review_clause_table(review, chapters),
        "decisions": [
            {"category": d.get_category_display(), "text": d.text, "owner": _person(d.owner), "due_on": d.due_on,
             "communicated": d.communicated_to_workers, "action": d.action.title if d.action else "",
             "action_status": d.action.get_status_display() if d.action else ""}
            for d in review_selectors.review_decisions(review)
        ],
        "not_available": review_selectors.not_available_text(),
    }


def review_pack_context(review: ManagementReview, user, *, today: datetime.date) -> dict:
    review = review_selectors.review_queryset().restrict(user, "view").get(pk=review.pk)
    return review_pack_data(review, for_pdf=True)


def review_content_version(review: ManagementReview) -> str:
    """Changes whenever the pack would: the review, an input's comment or figures, a decision."""
    inputs = review.inputs.aggregate(last=Max("updated_at"))["last"]
    decisions = review.decisions.aggregate(last=Max("updated_at"))["last"]
    return f"{review.version}|{inputs}|{decisions}"


register_report(
    "improvement.management_review",
    model=ManagementReview,
    title=gettext_lazy("Management review pack"),
    context_builder=review_pack_context,
    template="improvement/pdf/review_pack.html",
    content_version=review_content_version,
)
