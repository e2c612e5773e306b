"""The event register: declarations on the generic views (events, people, hours worked),
the event page's workflow steps, immediate actions, linked actions, and the triage queue."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action as api_action
from rest_framework.request import Request
from rest_framework.response import Response

from improvement.models import Action
from nonconformities import selectors, selectors_analysis, services, workflow
from nonconformities.api import EventStepsApiMixin
from nonconformities.choices import EventStatus, ReportChannel
from nonconformities.filtersets import EventFilterSet, HoursWorkedFilterSet, PersonFilterSet
from nonconformities.forms import (
    DeclarationForm,
    EventActionForm,
    EventForm,
    EventInformationForm,
    HoursWorkedForm,
    ImmediateActionForm,
    PersonForm,
    TransitionForm,
    TriageForm,
)
from nonconformities.models import Event, HoursWorked, ImmediateAction, Person, RootCause
from nonconformities.serializers import (
    EventInformationSerializer,
    EventSerializer,
    EventTransitionSerializer,
    HoursWorkedSerializer,
    PersonSerializer,
)
from nonconformities.tables import EventTable, HoursWorkedTable, PersonTable
from qse.fields import may_see_field
from qse.permissions import can
from qse.registry import add_nav, add_process_section, register
from qse.roles import ALL, right_for
from qse.views.declarations import ObjectViews
from qse.views.steps import run_step

EVENT_IMPORT_FIELDS = [
    "event_type", "title", "description", "occurred_at", "detected_on", "site", "process", "product",
    "supplier", "third_party", "third_party_reference", "quantity_affected", "detection_method", "detected_by_name",
    "severity", "requirement_kind", "requirement", "owner", "cost_scrap", "cost_rework", "cost_downtime",
    "cost_penalties", "cost_other",
]


class EventApiMixin:
    """``POST /api/v1/nonconformities/events/<id>/transition/`` moves the event under the guards;
    ``.../information/`` adds information to it (its reporter, or whoever may change it)."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "transition":
            return "change"
        if getattr(self, "action", None) == "information":
            return "view"  # the service decides: the reporter may add information without changing
        return super().verb_for(request)

    @extend_schema(request=EventInformationSerializer, responses=EventSerializer)
    @api_action(detail=True, methods=["post"])
    def information(self, request, pk=None):
        event = self.get_object()
        payload = EventInformationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = self._call(services.event_add_information, event=event, acting_user=request.user,
                             text=payload.validated_data["text"])
        return Response(EventSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(request=EventTransitionSerializer, responses=EventSerializer)
    @api_action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        event = self.get_object()
        payload = EventTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        updated = self._call(
            services.event_transition, event=event, acting_user=request.user, to_status=data["status"],
            expected_version=data.get("version"), reason=data.get("reason", ""), today=timezone.localdate(),
        )
        return Response(EventSerializer(updated, context=self.get_serializer_context()).data)


@register
class EventViews(ObjectViews):
    model = Event
    table = EventTable
    form = EventForm
    filterset = EventFilterSet
    serializer = EventSerializer
    api_mixins = (EventApiMixin, EventStepsApiMixin)
    import_fields = EVENT_IMPORT_FIELDS
    nav_block = "improve"
    nav_order = 40

    @classmethod
    def get_queryset(cls, request):
        return selectors.event_queryset()

    @classmethod
    def initial_for(cls, request):
        now = timezone.localtime().replace(second=0, microsecond=0)
        return {"occurred_at": now, "detected_on": now.date()}

    @classmethod
    def detail_context(cls, request, obj):
        context = selectors.event_page(user=request.user, event=obj)
        context.update(selectors_analysis.event_analysis(user=request.user, event=obj))
        return {
            **context,
            **_immediate_context(request, obj),
            "can_add_action": can(request.user, "add", Action),
            "action_form_url": reverse("nonconformities:event_action_create", args=[obj.pk]),
            "declaration_form": DeclarationForm(initial={"declared_on": timezone.localdate()}),
            "can_triage": is_triager(request),
            "can_add_information": services.may_add_information(request.user, obj),
            "information_form": EventInformationForm(),
        }

    @classmethod
    def create(cls, request, data: dict):
        channel = ReportChannel.API if isinstance(request, Request) else ReportChannel.APP
        return services.event_create(acting_user=request.user, data=data, channel=channel)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.event_update(event=instance, acting_user=request.user, data=data,
                                     expected_version=expected_version)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services.event_import_save(instances, acting_user)


@register
class PersonViews(ObjectViews):
    model = Person
    url_prefix = "people"
    table = PersonTable
    form = PersonForm
    filterset = PersonFilterSet
    serializer = PersonSerializer
    nav_block = "improve"
    nav_order = 48

    @classmethod
    def get_queryset(cls, request):
        return selectors.person_queryset()


@register
class HoursWorkedViews(ObjectViews):
    model = HoursWorked
    url_prefix = "hours"
    table = HoursWorkedTable
    form = HoursWorkedForm
    filterset = HoursWorkedFilterSet
    serializer = HoursWorkedSerializer
    import_fields = ["site", "month", "hours"]
    nav_block = "improve"
    nav_order = 49

    @classmethod
    def get_queryset(cls, request):
        return selectors.hours_worked_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services.hours_worked_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.hours_worked_update(hours=instance, acting_user=request.user, data=data,
                                            expected_version=expected_version)


def is_triager(request) -> bool:
    """Triage decides on any reported event: the roles whose right to change events is on all of them."""
    membership = getattr(request, "membership", None)
    return membership is not None and right_for(membership.role, Event._meta.label, "change") == ALL


add_nav("improve", gettext_lazy("Events to triage"), "nonconformities:event_triage", order=41, visible=is_triager)
add_process_section(
    Event._meta.verbose_name_plural, model=Event, table=EventTable, list_url_name="nonconformities:event_list", order=30,
    rows=lambda user, process: selectors.event_queryset().restrict(user, "view")
    .filter(process=process, archived_at__isnull=True).order_by("-occurred_at", "-pk"),
)


# --- the event page's steps ------------------------------------------------------------------


def _event(request, pk):
    """404 for what the user cannot see, another organization's event included."""
    return get_object_or_404(selectors.event_queryset().restrict(request.user, "view"), pk=pk)


def _apply(request, step) -> bool:
    """Run a step; a refused guard or a stale page becomes a clear message, never a 500."""
    error, _status = run_step(step, conflict=_(
        "This event was changed by someone else in the meantime; reload and try again."))
    if error:
        messages.error(request, error)
    return error is None


@login_required
@require_POST
def event_transition(request, pk):
    event = _event(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    elif _apply(request, lambda: services.event_transition(
        event=event, acting_user=request.user, to_status=form.cleaned_data["status"],
        expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
        today=timezone.localdate(),
    )):
        messages.success(request, _("Status changed: {status}.").format(
            status=EventStatus(form.cleaned_data["status"]).label))
    return HttpResponseRedirect(event.get_absolute_url())


@login_required
@require_POST
def event_declare(request, pk):
    event = _event(request, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the declaration."))
    elif _apply(request, lambda: services.event_declare(
        event=event, acting_user=request.user, declared_on=form.cleaned_data["declared_on"],
        expected_version=form.cleaned_data["version"],
    )):
        messages.success(request, _("Declaration date recorded."))
    return HttpResponseRedirect(event.get_absolute_url())


def _immediate_context(request, event: Event, form=None) -> dict:
    """The immediate-actions card's form, offered only to those who may add one."""
    return {
        "immediate_form": form or ImmediateActionForm(initial={"done_at": timezone.localtime().replace(second=0)}),
        "can_add_immediate": not workflow.is_finished(event.status) and can(request.user, "add", ImmediateAction),
    }


@login_required
@require_POST
def immediate_action_add(request, pk):
    """Inline (HTMX) addition of an immediate action; answers the refreshed card, with the
    refusal written in it when there is one."""
    event = _event(request, pk)
    form = ImmediateActionForm(request.POST)
    status = 200
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            services.immediate_action_create(event=event, acting_user=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            status = 403
        else:
            form = None
    else:
        status = 400
    if not request.htmx:
        if status != 200:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(event.get_absolute_url() + "#immediate-actions")
    context = {"object": event, **_immediate_context(request, event, form),
               "immediate_actions": selectors.immediate_actions_of(user=request.user, event=event),
               "steps": workflow.offered_steps(status=event.status, severity=event.severity)}
    return render(request, "nonconformities/_immediate_actions.html", context, status=status)


@login_required
@require_POST
def event_add_information(request, pk):
    """The reporter (or whoever may change the event) adds information; it goes into the history."""
    event = _event(request, pk)
    form = EventInformationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the information to add."))
    elif _apply(request, lambda: services.event_add_information(
            event=event, acting_user=request.user, text=form.cleaned_data["text"])):
        messages.success(request, _("Information added to the event's history."))
    return HttpResponseRedirect(event.get_absolute_url() + "#history")


@login_required
@require_http_methods(["GET", "POST"])
def event_action_create(request, pk):
    """A corrective or preventive action whose origin is the event (origin kind: nonconformity)."""
    event = _event(request, pk)
    if not can(request.user, "add", Action):
        raise PermissionDenied(_("You are not allowed to do this."))
    if workflow.is_finished(event.status):
        messages.error(request, _("Actions cannot be added to a closed or rejected event."))
        return HttpResponseRedirect(event.get_absolute_url())
    initial = {"title": event.title, "owner": event.owner_id or request.user.pk,
               "due_on": timezone.localdate() + datetime.timedelta(days=30)}
    root_causes = RootCause.objects.restrict(request.user, "view").filter(event=event, archived_at__isnull=True)
    form = EventActionForm(request.POST or None, initial=initial, root_causes=root_causes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        purpose, root_cause = data.pop("purpose"), data.pop("root_cause")
        try:
            services.event_action_create(event=event, acting_user=request.user, data=data, purpose=purpose,
                                         root_cause=root_cause)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(event.get_absolute_url() + "#event-actions")
    return render(request, "nonconformities/event_action_form.html", {"event": event, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def event_triage(request):
    """Events reported through the public form: the coordinator accepts or rejects them."""
    if not is_triager(request):
        raise PermissionDenied(_("You are not allowed to do this."))
    if request.method == "POST":
        return _triage_decision(request)
    # A page of the oldest reports; the choices are read once for every row (no query per event)
    # and, past QSE_CHOICES_INLINE, searched rather than listed (qse.widgets).
    page = Paginator(selectors.triage_queue(user=request.user), TRIAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    choices = TriageForm(user=request.user)
    context = {
        "page": page,
        "events": page.object_list,
        "members": _inline_choices(choices.fields["owner"].queryset),
        "processes": _inline_choices(choices.fields["process"].queryset),
        "member_search_url": reverse("qse:choices", args=[choices.fields["owner"].queryset.model._meta.label_lower]),
        "process_search_url": reverse("qse:choices", args=[choices.fields["process"].queryset.model._meta.label_lower]),
        "show_reporter_contact": may_see_field(request.user, Event, "reporter_contact"),
    }
    return render(request, "nonconformities/triage.html", context)


TRIAGE_PAGE_SIZE = 25


def _inline_choices(queryset) -> list | None:
    """The records to list in a select, or None when there are too many: then a search box."""
    rows = list(queryset[: settings.QSE_CHOICES_INLINE + 1])
    return None if len(rows) > settings.QSE_CHOICES_INLINE else rows


def _triage_decision(request):
    event = get_object_or_404(selectors.triage_queue(user=request.user), pk=request.POST.get("event", "0") or 0)
    form = TriageForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or reject the event."))
    elif form.cleaned_data["decision"] == "accept":
        if _apply(request, lambda: services.event_accept(
            event=event, acting_user=request.user, owner=form.cleaned_data["owner"],
            process=form.cleaned_data["process"], expected_version=form.cleaned_data["version"],
        )):
            messages.success(request, _("{reference} accepted.").format(reference=event.reference))
    elif _apply(request, lambda: services.event_transition(
        event=event, acting_user=request.user, to_status=EventStatus.REJECTED,
        reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
    )):
        messages.success(request, _("{reference} rejected.").format(reference=event.reference))
    return HttpResponseRedirect(reverse("nonconformities:event_triage"))


urlpatterns = [
    path("events/triage/", event_triage, name="event_triage"),
    path("events/<int:pk>/transition/", event_transition, name="event_transition"),
    path("events/<int:pk>/declare/", event_declare, name="event_declare"),
    # The inline form of the event page; the generic child pages hold ``immediate-actions/``.
    path("events/<int:pk>/immediate-actions/inline/", immediate_action_add, name="immediate_action_add"),
    path("events/<int:pk>/action/", event_action_create, name="event_action_create"),
    path("events/<int:pk>/information/", event_add_information, name="event_add_information"),
    *EventViews.urls(),
    *PersonViews.urls(),
    *HoursWorkedViews.urls(),
]
