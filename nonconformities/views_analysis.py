"""Pages of the root-cause analysis.

The 8D and the A3 are declarations on the generic views (list, detail, edit, archive, API).
The 5 whys, the Ishikawa causes and the root causes are edited in place on the event page
(and on its analysis page) through small POST endpoints: an HTMX request gets the analysis
partial back, a plain one is redirected to the analysis page. Every object is looked up
through ``restrict()``: another organization's event answers 404.
"""

from __future__ import annotations

import functools

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from nonconformities import eightd as workflow
from nonconformities import selectors_analysis as selectors
from nonconformities import services_analysis as services
from nonconformities import workflow as event_workflow
from nonconformities.forms_analysis import (
    A3Form,
    CorrectiveActionForm,
    EightDForm,
    IshikawaCauseForm,
    RootCauseForm,
    RootCauseMarkForm,
    RootCauseValidateForm,
    WhyStepForm,
)
from nonconformities.models import (
    A3Report,
    CorrectiveActionLink,
    EightD,
    Event,
    IshikawaCause,
    RootCause,
    WhyStep,
)
from qse.api.viewsets import ScopedSerializer
from qse.permissions import can
from qse.registry import register
from qse.services import ConflictError, ensure_can
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews
from qse.views.steps import refusal_messages, refusal_status

# --- tables and serializers --------------------------------------------------------------


class EightDTable(ObjectTable):
    event = tables.Column(linkify=lambda record: record.get_absolute_url())
    step = tables.Column()

    class Meta(ObjectTable.Meta):
        model = EightD
        fields = ["event", "step", "champion", "leader", "d8_done_on"]
        sequence = fields


class A3ReportTable(ObjectTable):
    event = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = A3Report
        fields = ["event", "owner", "goal"]
        sequence = fields


class EightDSerializer(ScopedSerializer):
    class Meta:
        model = EightD
        fields = [
            "id", "url", "event", "step", "champion", "leader", "team", *services.EIGHTD_TEXT_FIELDS,
            *(f"d{n}_done_on" for n in range(9)), "version", "archived_at",
        ]
        read_only_fields = ["step", *(f"d{n}_done_on" for n in range(9)), "archived_at"]


class A3ReportSerializer(ScopedSerializer):
    class Meta:
        model = A3Report
        fields = ["id", "url", "event", "owner", *services.A3_FIELDS[1:], "version", "archived_at"]
        read_only_fields = ["archived_at"]


class AdvanceSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class EightDApiMixin:
    """POST .../advance/: complete the current step under the guards."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "advance":
            return "change"
        return super().verb_for(request)

    @extend_schema(request=AdvanceSerializer, responses=EightDSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        eightd = self.get_object()
        payload = AdvanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = self._call(services.eightd_advance, eightd=eightd, acting_user=request.user,
                             today=timezone.localdate(), expected_version=payload.validated_data.get("version"))
        return Response(EightDSerializer(updated, context=self.get_serializer_context()).data)


# --- declarations ------------------------------------------------------------------------


@register
class EightDViews(ObjectViews):
    model = EightD
    url_prefix = "8d"
    table = EightDTable
    form = EightDForm
    serializer = EightDSerializer
    api_mixins = (EightDApiMixin,)
    nav_block = "evaluate"
    nav_order = 62

    @classmethod
    def get_queryset(cls, request):
        return EightD.objects.select_related("event", "champion", "leader")

    @classmethod
    def initial_for(cls, request):
        return {"champion": request.user, "leader": request.user}

    @classmethod
    def detail_context(cls, request, obj):
        return eightd_page_context(request.user, obj)

    @classmethod
    def create(cls, request, data: dict):
        return services.eightd_start(
            acting_user=request.user, event=data["event"], champion=data["champion"], leader=data["leader"],
            team=data.get("team", []), external_members=data.get("external_members", ""),
        )

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.eightd_update(eightd=instance, acting_user=request.user, data=data,
                                      expected_version=expected_version)


@register
class A3ReportViews(ObjectViews):
    model = A3Report
    url_prefix = "a3"
    table = A3ReportTable
    form = A3Form
    serializer = A3ReportSerializer
    nav_block = "evaluate"
    nav_order = 63

    @classmethod
    def get_queryset(cls, request):
        return A3Report.objects.select_related("event", "owner")

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user}

    @classmethod
    def detail_context(cls, request, obj):
        return {"analysis": selectors.event_analysis(user=request.user, event=obj.event),
                "report_kind": "nonconformities.a3"}

    @classmethod
    def create(cls, request, data: dict):
        return services.a3_create(acting_user=request.user, event=data["event"], data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.a3_update(a3=instance, acting_user=request.user, data=data, expected_version=expected_version)


def eightd_page_context(user, eightd: EightD) -> dict:
    """The 8D page: its steps, what blocks the current one, and the event's analysis."""
    blockers = [] if eightd.is_closed else workflow.completion_errors(services.eightd_facts(eightd))
    return {
        "steps": selectors.eightd_steps(eightd),
        "blockers": blockers,
        "team": list(eightd.team.all()),
        "analysis": selectors.event_analysis(user=user, event=eightd.event),
        "can_advance": not eightd.is_closed and can(user, "change", eightd),
        "report_kind": "nonconformities.eightd",
    }


# --- the event's analysis, edited in place -----------------------------------------------


def _event(request, event_pk: int) -> Event:
    return get_object_or_404(Event.objects.restrict(request.user, "view").select_related("process"), pk=event_pk)


def _item(request, model, event: Event, pk: int):
    return get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk, event=event,
                             archived_at__isnull=True)


# A refusal keeps its meaning in the status code, and its message is on screen either way.
def _answer(request, event: Event, *, error=None, success: str = ""):
    """The analysis partial for HTMX (the refusal written in it), a redirect to the analysis
    page with the refusal as a message otherwise."""
    errors = refusal_messages(error, conflict=_(
        "This event's analysis was changed by someone else in the meantime; it is shown as it "
        "is now. Check it and try again.")) if error else []
    if request.htmx:
        context = {"event": event, "analysis_errors": errors, "analysis_success": success,
                   **selectors.event_analysis(user=request.user, event=event)}
        return render(request, "nonconformities/analysis/_event_analysis.html", context,
                      status=refusal_status(error) if errors else 200)
    for message in errors:
        messages.error(request, message)
    if success and not errors:
        messages.success(request, success)
    return HttpResponseRedirect(reverse("nonconformities:event_analysis", args=[event.pk]))


def _cleaned(form_class, request) -> dict:
    """The posted form's data; its errors are refused like a service's."""
    form = form_class(request.POST)
    if not form.is_valid():
        raise ValidationError([f"{form.fields[name].label if name in form.fields else ''} : {' '.join(errs)}"
                               .strip(" :") for name, errs in form.errors.items()])
    return form.cleaned_data


def analysis_post(view):
    """A POST editing the event's analysis in place. The event is looked up through
    ``restrict()`` (404 otherwise); the view makes one service call and returns its success
    message. Every refusal (bad input, service rule, conflict, permission) is shown in the
    partial, with its status code (400, 409, 403); a plain request is redirected with the
    refusal as a message, or gets the "Not allowed" page."""

    @login_required
    @require_POST
    @functools.wraps(view)
    def wrapper(request, event_pk: int, **kwargs):
        event = _event(request, event_pk)
        try:
            success = view(request, event, **kwargs)
        except (ValidationError, ConflictError) as error:
            return _answer(request, event, error=error)
        except PermissionDenied as refusal:
            if not request.htmx:
                raise  # a plain request gets the "Not allowed" page, which says why
            return _answer(request, event, error=refusal)
        return _answer(request, event, success=success)

    return wrapper


@login_required
def event_analysis_page(request, event_pk: int):
    """The analysis workspace of one event (the same partial the event page includes)."""
    event = _event(request, event_pk)
    return render(request, "nonconformities/analysis/event_analysis.html", {
        "event": event, **selectors.event_analysis(user=request.user, event=event)})


def _parent(request, model, event):
    """The posted parent step or cause of this event, None for a top-level one; 404 otherwise."""
    raw = request.POST.get("parent", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return _item(request, model, event, int(raw))


@analysis_post
def why_add(request, event: Event):
    parent = _parent(request, WhyStep, event)
    data = _cleaned(WhyStepForm, request)
    services.why_step_add(acting_user=request.user, event=event, parent=parent, question=data["question"],
                          answer=data["answer"])
    return _("Answer added.")


@analysis_post
def why_edit(request, event: Event, pk: int):
    step = _item(request, WhyStep, event, pk)
    data = _cleaned(WhyStepForm, request)
    services.why_step_update(acting_user=request.user, step=step, question=data["question"], answer=data["answer"],
                             expected_version=data.get("version"))
    return _("Saved.")


@analysis_post
def why_root_cause(request, event: Event, pk: int):
    step = _item(request, WhyStep, event, pk)
    data = _cleaned(RootCauseMarkForm, request)
    services.why_step_mark_root_cause(acting_user=request.user, step=step, category=data["category"],
                                      description=data["description"])
    return _("Root cause recorded: validate it.")


@analysis_post
def item_remove(request, event: Event, kind: str, pk: int):
    model = {"why": WhyStep, "cause": IshikawaCause}.get(kind)
    if model is None:
        raise Http404
    services.analysis_item_remove(acting_user=request.user, item=_item(request, model, event, pk))
    return _("Removed.")


@analysis_post
def cause_add(request, event: Event):
    parent = _parent(request, IshikawaCause, event)
    data = _cleaned(IshikawaCauseForm, request)
    services.ishikawa_cause_add(acting_user=request.user, event=event, parent=parent, category=data["category"],
                                text=data["text"])
    return _("Cause added.")


@analysis_post
def cause_edit(request, event: Event, pk: int):
    cause = _item(request, IshikawaCause, event, pk)
    data = _cleaned(IshikawaCauseForm, request)
    services.ishikawa_cause_update(acting_user=request.user, cause=cause, text=data["text"],
                                   expected_version=data.get("version"))
    return _("Saved.")


@analysis_post
def cause_retain(request, event: Event, pk: int):
    cause = _item(request, IshikawaCause, event, pk)
    services.ishikawa_cause_retain(acting_user=request.user, cause=cause,
                                   description=request.POST.get("description", ""))
    return _("Root cause recorded: validate it.")


@analysis_post
def root_cause_add(request, event: Event):
    services.root_cause_create(acting_user=request.user, event=event, **_cleaned(RootCauseForm, request))
    return _("Root cause recorded: validate it.")


@analysis_post
def root_cause_validate(request, event: Event, pk: int):
    cause = _item(request, RootCause, event, pk)
    data = _cleaned(RootCauseValidateForm, request)
    services.root_cause_validate(acting_user=request.user, root_cause=cause, evidence=data["validation_evidence"],
                                 today=timezone.localdate(), expected_version=data.get("version"))
    return _("Root cause validated.")


@login_required
def root_cause_action(request, event_pk: int, pk: int):
    """Create the corrective or preventive action of a root cause (a full form page)."""
    event = _event(request, event_pk)
    cause = _item(request, RootCause, event, pk)
    ensure_can(request.user, "add", CorrectiveActionLink)
    services.ensure_may_analyse(request.user, event)
    if event_workflow.is_finished(event.status):
        messages.error(request, _("Actions cannot be added to a closed or rejected event."))
        return HttpResponseRedirect(reverse("nonconformities:event_analysis", args=[event.pk]))
    initial = {"owner": event.owner_id, "title": cause.description[:200]}
    form = CorrectiveActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_create(acting_user=request.user, root_cause=cause, data=form.changes(),
                                              purpose=form.cleaned_data["purpose"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(reverse("nonconformities:event_analysis", args=[event.pk]) + "#root-causes")
    return render(request, "nonconformities/analysis/root_cause_action.html",
                  {"event": event, "cause": cause, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def eightd_advance(request, pk: int):
    eightd = get_object_or_404(EightD.objects.restrict(request.user, "view"), pk=pk)
    version = request.POST.get("version")
    try:
        services.eightd_advance(eightd=eightd, acting_user=request.user, today=timezone.localdate(),
                                expected_version=int(version) if version else None)
    except ConflictError as conflict:
        messages.error(request, str(conflict))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Step completed."))
    return HttpResponseRedirect(eightd.get_absolute_url())


urlpatterns = [
    *EightDViews.urls(),
    *A3ReportViews.urls(),
    path("<int:event_pk>/analysis/", event_analysis_page, name="event_analysis"),
    path("<int:event_pk>/analysis/why/", why_add, name="why_add"),
    path("<int:event_pk>/analysis/why/<int:pk>/", why_edit, name="why_edit"),
    path("<int:event_pk>/analysis/why/<int:pk>/root-cause/", why_root_cause, name="why_root_cause"),
    path("<int:event_pk>/analysis/<str:kind>/<int:pk>/remove/", item_remove, name="analysis_item_remove"),
    path("<int:event_pk>/analysis/causes/", cause_add, name="cause_add"),
    path("<int:event_pk>/analysis/causes/<int:pk>/", cause_edit, name="cause_edit"),
    path("<int:event_pk>/analysis/causes/<int:pk>/retain/", cause_retain, name="cause_retain"),
    path("<int:event_pk>/analysis/root-causes/", root_cause_add, name="root_cause_add"),
    path("<int:event_pk>/analysis/root-causes/<int:pk>/validate/", root_cause_validate,
         name="root_cause_validate"),
    path("<int:event_pk>/analysis/root-causes/<int:pk>/action/", root_cause_action, name="root_cause_action"),
    path("8d/<int:pk>/advance/", eightd_advance, name="eightd_advance"),
]
