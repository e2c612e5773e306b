"""Suggestions and improvement projects: declarations on the generic views, the assessment
steps (the same services as the API's), and the suggestions' dashboard."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from improvement import charts_ideas, selectors_ideas, services_projects, services_suggestions
from improvement import workflow_suggestions as flow
from improvement.api_ideas import ImprovementProjectApiMixin, SuggestionApiMixin
from improvement.forms_ideas import (
    AssessForm,
    ImprovementProjectForm,
    ProjectPhaseForm,
    SuggestionActionForm,
    SuggestionForm,
    SuggestionProjectForm,
)
from improvement.models import ImprovementProject, ProjectPhase, Suggestion, SuggestionSupport
from improvement.models.projects import ProjectStatus
from improvement.models.suggestions import SuggestionStatus
from improvement.serializers_ideas import (
    ImprovementProjectSerializer,
    ProjectPhaseSerializer,
    SuggestionSerializer,
)
from improvement.tables import ActionTable
from improvement.tables_ideas import ImprovementProjectTable, ProjectPhaseTable, SuggestionTable
from qse.filtersets import ScopedFilterSet
from qse.permissions import can
from qse.registry import add_nav, register
from qse.views.declarations import ObjectViews
from qse.views.steps import run_step

CONFLICT = gettext_lazy("This record was changed by someone else in the meantime; reload and try again.")


class SuggestionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    status = django_filters.MultipleChoiceFilter(choices=SuggestionStatus.choices, label=gettext_lazy("Status"))

    class Meta:
        model = Suggestion
        fields = ["q", "status", "team", "site", "process"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class ImprovementProjectFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=gettext_lazy("Search"))

    class Meta:
        model = ImprovementProject
        fields = ["q", "method", "status", "leader", "team", "site", "process"]


@register
class SuggestionViews(ObjectViews):
    model = Suggestion
    table = SuggestionTable
    form = SuggestionForm
    filterset = SuggestionFilterSet
    serializer = SuggestionSerializer
    api_mixins = (SuggestionApiMixin,)
    nav_block = "improve"
    nav_order = 40
    detail_exclude = (*ObjectViews.detail_exclude, "title", "description")

    @classmethod
    def get_queryset(cls, request):
        return selectors_ideas.suggestion_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services_suggestions.suggestion_submit(acting_user=request.user, data=data)

    @classmethod
    def detail_context(cls, request, obj):
        assessor = services_suggestions.may_assess(request.user, obj)
        steps = flow.offered_steps(obj.status)
        return {
            "steps": steps,
            "may_assess": assessor,
            "may_support": steps["support"] and obj.author_id != request.user.pk and can(
                request.user, "add", SuggestionSupport),
            "supported": selectors_ideas.suggestion_supported_by(obj, request.user),
            "assess_form": AssessForm(initial={"impact": obj.impact, "effort": obj.effort, "version": obj.version}),
            "action_form": SuggestionActionForm(initial={"title": obj.title, "owner": request.user.pk}),
            "project_form": SuggestionProjectForm(initial={"title": obj.title, "leader": request.user.pk}),
            "actions_table": ActionTable(selectors_ideas.actions_from(obj, request.user), request=request,
                                         exclude=("plan",)),
        }

    @classmethod
    def urls(cls) -> list:
        return [
            path("suggestions/dashboard/", suggestion_dashboard, name="suggestion_dashboard"),
            *super().urls(),
            *(path(f"suggestions/<int:pk>/{route}/", view, name=f"suggestion_{route.replace('-', '_')}")
              for route, view in (("support", suggestion_support), ("start-review", suggestion_start_review),
                                  ("assess", suggestion_assess), ("implement", suggestion_implement),
                                  ("action", suggestion_action), ("project", suggestion_project))),
        ]


@register
class ImprovementProjectViews(ObjectViews):
    model = ImprovementProject
    url_prefix = "projects"
    table = ImprovementProjectTable
    form = ImprovementProjectForm
    filterset = ImprovementProjectFilterSet
    serializer = ImprovementProjectSerializer
    api_mixins = (ImprovementProjectApiMixin,)
    nav_block = "improve"
    nav_order = 45
    # Shown in their own blocks (the gain, the status line, the description).
    detail_exclude = (*ObjectViews.detail_exclude, "title", "objective", "status", "method", "closed_on",
                      "indicator", "unit", "baseline", "target", "result")

    @classmethod
    def get_queryset(cls, request):
        return selectors_ideas.project_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"leader": request.user, "start_on": timezone.localdate()}

    @classmethod
    def create(cls, request, data: dict):
        return services_projects.project_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_projects.project_update(project=instance, acting_user=request.user, data=data,
                                                expected_version=expected_version)

    @classmethod
    def detail_context(cls, request, obj):
        phases = selectors_ideas.phase_queryset().restrict(request.user, "view").filter(
            project=obj, archived_at__isnull=True)
        return {
            "gain": obj.gain,
            "phases": phases,
            "actions_table": ActionTable(selectors_ideas.actions_from(obj, request.user), request=request,
                                         exclude=("plan",)),
            "may_close": obj.status == ProjectStatus.OPEN and can(request.user, "change", obj),
            "action_form": SuggestionActionForm(initial={"owner": obj.leader_id}),
            "suggestions": obj.suggestions.all(),
        }

    @classmethod
    def urls(cls) -> list:
        return [
            *super().urls(),
            path("projects/<int:pk>/close/", project_close, name="improvementproject_close"),
            path("projects/<int:pk>/actions/", project_action, name="improvementproject_action"),
        ]


@register
class ProjectPhaseViews(ObjectViews):
    model = ProjectPhase
    url_prefix = "phases"
    parent = ("project", ImprovementProject, "project")
    table = ProjectPhaseTable
    form = ProjectPhaseForm
    serializer = ProjectPhaseSerializer
    detail_exclude = (*ObjectViews.detail_exclude, "project", "key")

    @classmethod
    def get_queryset(cls, request):
        return selectors_ideas.phase_queryset()

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_projects.phase_update(phase=instance, acting_user=request.user, data=data,
                                              expected_version=expected_version)

    @classmethod
    def detail_fields(cls, obj, hidden=frozenset()) -> list:
        # A method phase's empty name and deliverables are its method's, in the reader's language.
        shown = {"name": obj.label, "deliverables": obj.deliverables_text}
        names = {str(ProjectPhase._meta.get_field(name).verbose_name): name for name in shown}
        return [(label, shown[names[str(label)]] if str(label) in names else value)
                for label, value in super().detail_fields(obj, hidden)]


add_nav("improve", gettext_lazy("Suggestions dashboard"), "improvement:suggestion_dashboard", order=41)


# --- steps ----------------------------------------------------------------------------------

def _suggestion(request, pk) -> Suggestion:
    return get_object_or_404(selectors_ideas.suggestion_queryset().restrict(request.user, "view"), pk=pk)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _done(request, record, step, success: str):
    """Run the step and go back to the record's page, where a refusal is shown as a message."""
    error, _status = run_step(step, conflict=CONFLICT)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(record.get_absolute_url())


def _done_with_form(request, record, form, step, success: str):
    """The same for a step that takes a form: an invalid form is refused with its errors."""
    if not form.is_valid():
        # Each refusal names its field: "Required." twice says nothing of what is missing.
        messages.error(request, "; ".join(
            f"{capfirst(form[name].label) if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
            for name, errors in form.errors.items()))
        return HttpResponseRedirect(record.get_absolute_url())
    return _done(request, record, lambda: step(form.cleaned_data), success)


@login_required
@require_POST
def suggestion_support(request, pk):
    suggestion = _suggestion(request, pk)
    return _done(request, suggestion, lambda: services_suggestions.suggestion_support(
        suggestion=suggestion, acting_user=request.user), _("Thank you for your support."))


@login_required
@require_POST
def suggestion_start_review(request, pk):
    suggestion = _suggestion(request, pk)
    return _done(request, suggestion, lambda: services_suggestions.suggestion_start_review(
        suggestion=suggestion, acting_user=request.user, expected_version=_version(request)),
        _("The review has started; the author is told."))


@login_required
@require_POST
def suggestion_assess(request, pk):
    suggestion = _suggestion(request, pk)

    def step(data):
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = get_object_or_404(
                selectors_ideas.suggestion_queryset().restrict(request.user, "view"), pk=data["duplicate_of"])
        return services_suggestions.suggestion_assess(
            suggestion=suggestion, acting_user=request.user, decision=data["decision"], impact=data.get("impact"),
            effort=data.get("effort"), reason=data.get("decision_reason", ""), duplicate_of=duplicate_of,
            today=timezone.localdate(), expected_version=data.get("version"))
    return _done_with_form(request, suggestion, AssessForm(request.POST), step,
                           _("The decision is recorded; the author is told."))


@login_required
@require_POST
def suggestion_implement(request, pk):
    suggestion = _suggestion(request, pk)
    return _done(request, suggestion, lambda: services_suggestions.suggestion_mark_implemented(
        suggestion=suggestion, acting_user=request.user, today=timezone.localdate(),
        expected_version=_version(request)), _("Marked as implemented; the author is told."))


@login_required
@require_POST
def suggestion_action(request, pk):
    suggestion = _suggestion(request, pk)
    return _done_with_form(request, suggestion, SuggestionActionForm(request.POST), lambda data: (
        services_suggestions.suggestion_to_action(suggestion=suggestion, acting_user=request.user, data=data)),
        _("The action is created; the author is told."))


@login_required
@require_POST
def suggestion_project(request, pk):
    suggestion = _suggestion(request, pk)
    return _done_with_form(request, suggestion, SuggestionProjectForm(request.POST), lambda data: (
        services_suggestions.suggestion_to_project(suggestion=suggestion, acting_user=request.user, data=data)),
        _("The improvement project is created; the author is told."))


def _project(request, pk) -> ImprovementProject:
    return get_object_or_404(selectors_ideas.project_queryset().restrict(request.user, "view"), pk=pk)


@login_required
@require_POST
def project_close(request, pk):
    project = _project(request, pk)
    return _done(request, project, lambda: services_projects.project_close(
        project=project, acting_user=request.user, today=timezone.localdate(), expected_version=_version(request)),
        _("The project is closed."))


@login_required
@require_POST
def project_action(request, pk):
    project = _project(request, pk)
    return _done_with_form(request, project, SuggestionActionForm(request.POST), lambda data: (
        services_projects.project_add_action(project=project, acting_user=request.user, data=data)),
        _("The action is created."))


@login_required
def suggestion_dashboard(request):
    """Counts by state, and per team and month (SQL aggregates), with their charts."""
    rows = Suggestion.objects.restrict(request.user, "view")
    counts = selectors_ideas.suggestion_counts(rows)
    team_month = selectors_ideas.suggestion_team_month(rows)
    context = {"counts": counts, "team_month": team_month,
               "charts": charts_ideas.dashboard_charts(counts, team_month)}
    return render(request, "improvement/suggestion_dashboard.html", context)
