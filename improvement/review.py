"""The review sections improvement provides: the status of the actions decided by earlier
reviews (ISO 9001 9.3.2 a, ISO 14001 / 45001 9.3 a)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement.choices import ActionStatus
from improvement.models import ReviewDecision
from qse.review import ReviewScope, ReviewSection, register_section, visible

PREVIOUS_LIMIT = 60


def previous_actions(scope: ReviewScope) -> dict:
    """The actions decided by the reviews of earlier periods, their status on the period's
    last day (late: open past due then). Two queries."""
    decisions = visible(ReviewDecision, scope).filter(review__period_end__lt=scope.start, action__isnull=False)
    if scope.process_id:
        decisions = decisions.filter(review__process_id=scope.process_id)
    open_q = Q(action__status__in=(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS))
    counts = decisions.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(action__status=ActionStatus.DONE)),
        open=Count("pk", filter=open_q), late=Count("pk", filter=open_q & Q(action__due_on__lt=scope.end)),
    )
    rows = decisions.select_related("review", "action", "action__owner").order_by("review__period_end", "pk")
    return {
        "summary": _("{total} actions decided by earlier reviews: {done} done, {open} still open, of which {late} "
                     "late.").format(**counts),
        "columns": [_("Review"), _("Decision"), _("Owner"), _("Due date"), _("Status"), _("Progress (%)")],
        "rows": [
            [str(d.review), d.action.title, d.action.owner.get_full_name() or d.action.owner.get_username(),
             date_format(d.action.due_on, "SHORT_DATE_FORMAT"), d.action.get_status_display(), d.action.progress]
            for d in rows[:PREVIOUS_LIMIT]
        ],
        "counts": counts,
    }


def register() -> None:
    register_section(ReviewSection(
        key="improvement.previous_actions", title=gettext_lazy("Status of actions from previous reviews"),
        selector=previous_actions, order=10, process_review=True,
    ))
