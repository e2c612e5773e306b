"""Improvement teams, their members and work sessions, training topics and records:
declarations on the generic views (pages, API, import, export), plus the session's steps
(attendance, counter-measures, invitation, training of an awareness session) and its
printable action list, each through the same service as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from improvement import selectors_teams, services_teams
from improvement.api_teams import TrainingTopicApiMixin, WorkSessionApiMixin
from improvement.filtersets_teams import (
    ImprovementTeamFilterSet,
    TeamMemberFilterSet,
    TrainingRecordFilterSet,
    TrainingTopicFilterSet,
    WorkSessionFilterSet,
)
from improvement.forms_teams import (
    CountermeasureForm,
    ImprovementTeamForm,
    TeamMemberForm,
    TopicActionForm,
    TrainingRecordForm,
    TrainingTopicForm,
    WorkSessionForm,
)
from improvement.models import (
    Action,
    AttendanceStatus,
    ImprovementTeam,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from improvement.serializers_teams import (
    ImprovementTeamSerializer,
    TeamMemberSerializer,
    TrainingRecordSerializer,
    TrainingTopicSerializer,
    WorkSessionSerializer,
)
from improvement.tables import ActionTable
from improvement.tables_teams import (
    ImprovementTeamTable,
    TeamMemberTable,
    TrainingRecordTable,
    TrainingTopicTable,
    WorkSessionTable,
)
from qse.permissions import can
from qse.registry import add_process_section, register
from qse.views.declarations import ObjectViews
from qse.views.steps import run_step

TEAM = ("team", ImprovementTeam, "team")


@register
class ImprovementTeamViews(ObjectViews):
    model = ImprovementTeam
    table = ImprovementTeamTable
    form = ImprovementTeamForm
    filterset = ImprovementTeamFilterSet
    serializer = ImprovementTeamSerializer
    url_prefix = "teams"
    nav_block = "improve"
    nav_order = 40

    @classmethod
    def get_queryset(cls, request):
        return selectors_teams.team_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        members = selectors_teams.member_queryset().restrict(request.user, "view").filter(
            team=obj, archived_at__isnull=True)
        return {
            "members_table": TeamMemberTable(members, request=request),
            "sessions_table": WorkSessionTable(selectors_teams.team_sessions(team=obj, user=request.user),
                                               request=request, orderable=False),
            "matrix": selectors_teams.training_matrix(team=obj, user=request.user, today=timezone.localdate()),
            "may_add_member": can(request.user, "add", TeamMemberViews.new_child(obj)),
            "may_add_session": can(request.user, "add", WorkSessionViews.new_child(obj)),
        }


@register
class TeamMemberViews(ObjectViews):
    model = TeamMember
    table = TeamMemberTable
    form = TeamMemberForm
    filterset = TeamMemberFilterSet
    serializer = TeamMemberSerializer
    parent = TEAM
    url_prefix = "members"

    @classmethod
    def get_queryset(cls, request):
        return selectors_teams.member_queryset()


@register
class WorkSessionViews(ObjectViews):
    model = WorkSession
    table = WorkSessionTable
    form = WorkSessionForm
    filterset = WorkSessionFilterSet
    serializer = WorkSessionSerializer
    api_mixins = (WorkSessionApiMixin,)
    parent = TEAM
    url_prefix = "sessions"

    @classmethod
    def get_queryset(cls, request):
        return selectors_teams.session_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services_teams.session_create(acting_user=request.user, data=data)

    @classmethod
    def detail_context(cls, request, obj):
        countermeasures = selectors_teams.session_countermeasures(session=obj, user=request.user)
        return {
            "attendances": selectors_teams.session_attendances(obj),
            "attendance_choices": AttendanceStatus.choices,
            "countermeasures_table": ActionTable(countermeasures, request=request, exclude=("plan", "process", "site"),
                                                 orderable=False),
            "countermeasure_form": CountermeasureForm(initial={"owner": obj.team.leader_id}),
            "may_add_training": obj.topic_id is not None and can(request.user, "add", TrainingRecord),
            # A counter-measure is an action: offered to who runs the session and may add actions.
            "may_add_countermeasure": can(request.user, "change", obj) and can(request.user, "add", Action),
        }


@register
class TrainingTopicViews(ObjectViews):
    model = TrainingTopic
    table = TrainingTopicTable
    form = TrainingTopicForm
    filterset = TrainingTopicFilterSet
    serializer = TrainingTopicSerializer
    api_mixins = (TrainingTopicApiMixin,)
    url_prefix = "training-topics"
    import_fields = ["name", "domain", "description", "validity_months", "required_for_everyone"]
    nav_block = "improve"
    nav_order = 45

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services_teams.topic_update(topic=instance, acting_user=request.user, data=data,
                                           expected_version=expected_version)

    @classmethod
    def detail_context(cls, request, obj):
        records = TrainingRecordViews.get_queryset(request).restrict(request.user, "view").filter(
            topic=obj, archived_at__isnull=True)[:50]
        actions = selectors_teams.topic_actions(topic=obj, user=request.user)
        return {
            "records_table": TrainingRecordTable(records, request=request, exclude=("topic",), orderable=False),
            "actions_table": ActionTable(actions, request=request, exclude=("plan",), orderable=False),
            "action_form": TopicActionForm(initial={"owner": request.user.pk}),
            "may_add_action": can(request.user, "add", Action),
        }


@register
class TrainingRecordViews(ObjectViews):
    model = TrainingRecord
    table = TrainingRecordTable
    form = TrainingRecordForm
    filterset = TrainingRecordFilterSet
    serializer = TrainingRecordSerializer
    url_prefix = "training-records"
    import_fields = ["person", "topic", "trained_on", "trainer", "training_body", "comment"]
    nav_block = "improve"
    nav_order = 46

    @classmethod
    def get_queryset(cls, request):
        return selectors_teams.record_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services_teams.training_record_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services_teams.training_record_update(record=instance, acting_user=request.user, data=data,
                                                     expected_version=expected_version)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services_teams.training_records_import(instances=instances, acting_user=acting_user)


add_process_section(
    ImprovementTeam._meta.verbose_name_plural, model=ImprovementTeam, table=ImprovementTeamTable,
    list_url_name="improvement:improvementteam_list", order=60,
    rows=lambda user, process: selectors_teams.team_queryset().restrict(user, "view")
    .filter(process=process, archived_at__isnull=True).order_by("name"),
)


# --- the session's steps ---------------------------------------------------------------------

CONFLICT = gettext_lazy("This session was changed by someone else in the meantime; reload and try again.")


def _session(request, team_pk, pk):
    """The session, through restrict() (another organization's, or a wrong team: 404)."""
    queryset = selectors_teams.session_queryset().restrict(request.user, "view")
    return get_object_or_404(queryset, pk=pk, team_id=team_pk)


def _done(request, record, error: str | None, success: str):
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(record.get_absolute_url())


def _posted_attendance(post) -> dict[int, str]:
    """``attendance_<person id>`` fields; an id no integer column could hold is ignored."""
    ids = ((key.removeprefix("attendance_"), value) for key, value in post.items() if key.startswith("attendance_"))
    return {int(pk): value for pk, value in ids if pk.isdigit() and len(pk) <= 9}


@login_required
@require_POST
def session_attendance(request, team_pk, pk):
    session = _session(request, team_pk, pk)
    statuses = _posted_attendance(request.POST)
    version = request.POST.get("version")
    error, _status = run_step(lambda: services_teams.session_record_attendance(
        session=session, acting_user=request.user, statuses=statuses,
        expected_version=int(version) if version and version.isdigit() else None), conflict=CONFLICT)
    return _done(request, session, error, _("Attendance recorded."))


@login_required
@require_POST
def session_countermeasure(request, team_pk, pk):
    session = _session(request, team_pk, pk)
    form = CountermeasureForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form[name].label}: {' '.join(messages_)}" for name, messages_ in form.errors.items())
        return _done(request, session, errors, "")
    error, _status = run_step(lambda: services_teams.session_add_countermeasure(
        session=session, acting_user=request.user, data=form.cleaned_data), conflict=CONFLICT)
    return _done(request, session, error, _("Counter-measure recorded as an action."))


@login_required
@require_POST
def session_invite(request, team_pk, pk):
    session = _session(request, team_pk, pk)
    sent = []
    error, _status = run_step(lambda: sent.append(services_teams.session_send_invitation(
        session=session, acting_user=request.user)), conflict=CONFLICT)
    return _done(request, session, error, _("Invitation sent to {count} people.").format(count=sent[0] if sent else 0))


@login_required
@require_POST
def session_training(request, team_pk, pk):
    session = _session(request, team_pk, pk)
    added = []
    error, _status = run_step(lambda: added.append(services_teams.session_record_training(
        session=session, acting_user=request.user)), conflict=CONFLICT)
    return _done(request, session, error,
                 _("{count} training records added for the people present.").format(count=added[0] if added else 0))


@login_required
@require_POST
def topic_action(request, pk):
    topic = get_object_or_404(TrainingTopic.objects.restrict(request.user, "view"), pk=pk)
    form = TopicActionForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form[name].label}: {' '.join(messages_)}" for name, messages_ in form.errors.items())
        return _done(request, topic, errors, "")
    error, _status = run_step(lambda: services_teams.topic_add_action(
        topic=topic, acting_user=request.user, data=form.cleaned_data), conflict=CONFLICT)
    return _done(request, topic, error, _("Action created."))


@login_required
def session_board(request, team_pk, pk):
    """The session's action list, printable for the shop-floor board (A4 landscape, no menu)."""
    session = _session(request, team_pk, pk)
    context = {
        "session": session,
        "actions": list(selectors_teams.session_countermeasures(session=session, user=request.user)),
        "attendances": selectors_teams.session_attendances(session),
        "today": timezone.localdate(),
    }
    return render(request, "improvement/session_board.html", context)


def urls() -> list:
    prefix = "teams/<int:team_pk>/sessions/<int:pk>/"
    return [
        path(f"{prefix}attendance/", session_attendance, name="worksession_attendance"),
        path(f"{prefix}countermeasures/", session_countermeasure, name="worksession_countermeasure"),
        path(f"{prefix}invitation/", session_invite, name="worksession_invite"),
        path(f"{prefix}training/", session_training, name="worksession_training"),
        path(f"{prefix}board/", session_board, name="worksession_board"),
        path("training-topics/<int:pk>/actions/", topic_action, name="trainingtopic_action"),
        *ImprovementTeamViews.urls(), *TeamMemberViews.urls(), *WorkSessionViews.urls(),
        *TrainingTopicViews.urls(), *TrainingRecordViews.urls(),
    ]
