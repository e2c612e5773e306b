"""Action plans and actions: declarations on the generic views, plus the work pages
(dashboard, PDCA board, "my actions") and the workflow steps."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.request import Request

from improvement import calendar, charts, selectors, services
from improvement.api import ActionApiMixin
from improvement.filtersets import ActionFilterSet, ActionPlanFilterSet
from improvement.forms import ActionForm, ActionPlanForm, EffectivenessForm, MoveForm, ProgressForm
from improvement.models import Action, ActionPlan
from improvement.serializers import ActionPlanSerializer, ActionSerializer
from improvement.tables import ActionPlanTable, ActionTable
from qse.permissions import can
from qse.redirects import safe_next
from qse.registry import add_nav, add_process_section, register
from qse.tables import CappedCountPaginator
from qse.views.declarations import ObjectViews
from qse.views.steps import run_step


@register
class ActionPlanViews(ObjectViews):
    model = ActionPlan
    table = ActionPlanTable
    form = ActionPlanForm
    filterset = ActionPlanFilterSet
    serializer = ActionPlanSerializer
    import_fields = ["title", "description", "owner", "process", "site", "due_on"]
    nav_block = "improve"
    nav_order = 20

    @classmethod
    def get_queryset(cls, request):
        # The API does not write the progress counts: it does not compute them.
        return selectors.action_plan_queryset(with_progress=not isinstance(request, Request))

    @classmethod
    def detail_context(cls, request, obj):
        actions = selectors.action_queryset().restrict(request.user, "view").filter(plan=obj, archived_at__isnull=True)
        return {"actions_table": ActionTable(actions, request=request, exclude=("plan",))}

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user}


@register
class ActionViews(ObjectViews):
    model = Action
    table = ActionTable
    form = ActionForm
    filterset = ActionFilterSet
    serializer = ActionSerializer
    api_mixins = (ActionApiMixin,)
    import_fields = [
        "title", "description", "deliverable", "owner", "process", "site", "priority", "start_on", "due_on",
        "estimated_hours", "progress", "effectiveness_criterion",
    ]
    nav_block = "improve"
    nav_order = 30
    detail_exclude = ObjectViews.detail_exclude + ("origin_id", "title", "description")

    @classmethod
    def get_queryset(cls, request):
        return selectors.action_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user}

    @classmethod
    def create(cls, request, data: dict):
        return services.action_create(acting_user=request.user, data=data)

    @classmethod
    def detail_context(cls, request, obj):
        today = timezone.localdate()
        origin = selectors.origin_of(obj)
        return {
            "today": today,
            "progress_form": ProgressForm(initial={"progress": obj.progress, "version": obj.version}),
            "effectiveness_form": EffectivenessForm(initial={"checked_on": today, "version": obj.version}),
            # A link the viewer could not open is not shown.
            "origin": origin if origin is not None and can(request.user, "view", origin) else None,
        }


add_nav("steer", gettext_lazy("Actions dashboard"), "improvement:dashboard", order=20)
add_nav("improve", gettext_lazy("My actions"), "improvement:my_actions", order=10)
add_nav("improve", gettext_lazy("PDCA board"), "improvement:board", order=15)
add_process_section(
    Action._meta.verbose_name_plural, model=Action, table=ActionTable, list_url_name="improvement:action_list", order=20,
    rows=lambda user, process: selectors.action_queryset().restrict(user, "view")
    .filter(process=process, archived_at__isnull=True).order_by("due_on", "pk"),
)


def _action(request, pk, verb="view"):
    return get_object_or_404(selectors.action_queryset().restrict(request.user, verb), pk=pk)


def _version(request):
    value = request.POST.get("version")
    return int(value) if value and value.isdigit() else None


# A refused step, a stale version or a missing right becomes a visible message with its status,
# never a 500 nor a silent 403 (an HTMX partial shows it in place).
PAGE_CONFLICT = gettext_lazy("This action was changed by someone else in the meantime; reload and try again.")
CARD_CONFLICT = gettext_lazy(
    "This action was changed by someone else in the meantime: its current state is shown. Tap again to apply "
    "your choice."
)


def _apply(request, step) -> tuple[str | None, int]:
    """Run a workflow step; answer (the message to show, the HTTP status)."""
    return run_step(step, conflict=CARD_CONFLICT if request.htmx else PAGE_CONFLICT)


def _after(request, action, error: str | None = None, status: int = 200):
    """The card partial for a tap on "My actions", else back to a page of this site."""
    if request.htmx and request.POST.get("card"):
        context = {"action": selectors.action_queryset().get(pk=action.pk), "today": timezone.localdate(),
                   "card_error": error}
        return render(request, "improvement/_my_action.html", context, status=status)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(safe_next(request, action.get_absolute_url()))


@login_required
def dashboard(request):
    today = timezone.localdate()
    data = selectors.action_dashboard(user=request.user, today=today)
    context = {"data": data, "today": today, "charts": charts.dashboard_charts(data), "top_risks": _top_risks(request.user)}
    return render(request, "improvement/dashboard.html", context)


def _top_risks(user) -> list[dict] | None:
    """The five open risks with the highest residual (else inherent) score, each with its
    level tag coloured from its own matrix (one query); None when the user may not see risks."""
    from qse.permissions import can
    from risks.models import Risk
    from risks.selectors import risk_queryset, risk_top
    from risks.tables import score_tag

    if not can(user, "view", Risk):
        return None
    # The five are chosen on the risks' own narrow rows, then joined to what the table shows:
    # ranking every open risk joined to its matrix (JSON) sorted megabytes to disk.
    five = risk_top(user=user, limit=5, risks=Risk.objects.all()).values("pk")
    return [
        {"risk": risk, "tag": score_tag(risk.matrix, risk.current_score), "is_residual": risk.residual_score is not None}
        for risk in risk_top(user=user, limit=5, risks=risk_queryset().filter(pk__in=five))
    ]


MY_ACTIONS_PER_PAGE = 30


@login_required
def my_actions(request):
    today = timezone.localdate()
    actions = selectors.actions_of_user(user=request.user, today=today)
    feed_url = request.build_absolute_uri(calendar.feed_path(request.user, request.organization))
    paginator = CappedCountPaginator(actions, MY_ACTIONS_PER_PAGE, requested_page=request.GET.get("page", 1))
    page = paginator.get_page(request.GET.get("page"))  # late ones first, a page at a time
    return render(request, "improvement/my_actions.html",
                  {"actions": page.object_list, "page": page, "today": today, "feed_url": feed_url})


@login_required
def board(request):
    plan_id = request.GET.get("plan")
    plan_id = int(plan_id) if plan_id and plan_id.isdigit() else None
    columns = selectors.pdca_board(user=request.user, plan_id=plan_id)
    for column in columns.values():  # the whole column, in the list, when the board cuts it
        column["list_url"] = reverse("improvement:action_list") + "?" + urlencode(
            {**column["filters"], **({"plan": plan_id} if plan_id else {})})
    plans = ActionPlan.objects.restrict(request.user, "view").filter(archived_at__isnull=True)
    context = {"columns": columns, "plans": plans, "plan_id": plan_id, "today": timezone.localdate()}
    return render(request, "improvement/board.html", context)


@login_required
@require_POST
def action_progress(request, pk):
    action = _action(request, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _after(request, action, _("Progress must be between 0 and 100."), 400)
    error, status = _apply(request, lambda: services.action_report_progress(
        action=action, acting_user=request.user, progress=form.cleaned_data["progress"],
        today=timezone.localdate(), expected_version=form.cleaned_data["version"],
        comment=form.cleaned_data["comment"],
    ))
    return _after(request, action, error, status)


@login_required
@require_POST
def action_transition(request, pk):
    action = _action(request, pk)
    error, status = _apply(request, lambda: services.action_transition(
        action=action, acting_user=request.user, to_status=request.POST.get("status", ""),
        today=timezone.localdate(), expected_version=_version(request),
    ))
    return _after(request, action, error, status)


@login_required
@require_POST
def action_effectiveness(request, pk):
    action = _action(request, pk)
    form = EffectivenessForm(request.POST)
    if not form.is_valid():
        return _after(request, action, _("Give the result and the date of the check."), 400)
    error, status = _apply(request, lambda: services.action_record_effectiveness(
        action=action, acting_user=request.user, result=form.cleaned_data["result"],
        checked_on=form.cleaned_data["checked_on"], comment=form.cleaned_data["comment"],
        expected_version=form.cleaned_data["version"],
    ))
    return _after(request, action, error, status)


@login_required
@require_POST
def action_move(request, pk):
    action = _action(request, pk)
    form = MoveForm(request.POST)
    error = _("Choose a column of the board.")
    if form.is_valid():
        error, _status = _apply(request, lambda: services.action_move_on_board(
            action=action, acting_user=request.user, stage=form.cleaned_data["stage"], today=timezone.localdate(),
            expected_version=_version(request),
        ))
    if error:
        messages.error(request, error)
    plan = request.POST.get("plan", "")
    return HttpResponseRedirect(reverse("improvement:board") + (f"?plan={plan}" if plan.isdigit() else ""))


def calendar_feed(request, token: str):
    """Private iCalendar feed of a user's deadlines; the URL's signed token is the credential."""
    body = calendar.feed_for_token(token)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response

# Reviews, suggestions and projects, teams and training declare themselves on import (issue 13).
from improvement import review_views, views_ideas, views_teams  # noqa: E402,F401
