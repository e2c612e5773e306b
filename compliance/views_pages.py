"""Hand-built compliance pages, each through the service or selector its API operation calls:
a site's applicability (facts, suggestions, what a changed fact would change), an action from
a gap, qualifying the inbox, polling a source now."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from compliance import conditions, selectors, selectors_watch, services, services_watch
from compliance.choices import ApplicabilityStatus, IcpeRegime
from compliance.forms import EvaluationActionForm, EvaluationLinkForm
from compliance.forms_watch import BulkQualifyForm, QualifyForm
from compliance.models import Applicability, Evaluation, Requirement, Source, Text, WatchItem
from improvement.models import Action
from qse.models import Site
from qse.permissions import can
from qse.registry import add_nav


def _changed_facts(request, facts: conditions.SiteFacts) -> tuple[conditions.SiteFacts | None, dict]:
    """The facts as a "what if" form changes them (``headcount``, ``add_activity``,
    ``add_rubrique`` + ``regime`` + ``dated_on``); None when nothing is changed."""
    asked = {name: request.GET.get(name, "").strip() for name in ("headcount", "add_activity", "add_rubrique", "regime",
                                                                  "dated_on")}
    changes = {}
    if asked["headcount"].isdigit():
        changes["headcount"] = int(asked["headcount"])
    if asked["add_activity"]:
        changes["activities"] = facts.activities | {asked["add_activity"]}
    if asked["add_rubrique"] and asked["regime"] in IcpeRegime.values:
        try:
            dated = conditions._date(asked["dated_on"]) if asked["dated_on"] else None
        except ValueError:
            dated = None
        added = conditions.Classification(asked["add_rubrique"], asked["regime"], dated)
        changes["classifications"] = (*facts.classifications, added)
    return (dataclasses.replace(facts, **changes) if changes else None), asked


def applicability_data(request, site) -> dict:
    """What the applicability page and its API show of a site."""
    facts = selectors.site_facts(site, user=request.user)
    suggestions = selectors.applicability_suggestions(site, user=request.user, facts=facts)
    changed, asked = _changed_facts(request, facts)
    change = selectors.fact_change_effect(site, user=request.user, changed=changed) if changed else None
    rows = [{
        "requirement_id": s.requirement.pk, "requirement": str(s.requirement), "text": s.requirement.text.reference,
        "suggested": s.suggested_status, "reasons": s.verdict.reasons,
        "decided": s.decision.status if s.decision else None, "disagrees": s.disagrees,
    } for s in suggestions]
    return {
        "facts": {"headcount": facts.headcount, "activities": sorted(facts.activities),
                  "classifications": [dataclasses.asdict(c) for c in facts.classifications]},
        "requirements": rows, "asked": asked,
        "change": {key: [{"requirement_id": s.requirement.pk, "requirement": str(s.requirement),
                          "reasons": s.verdict.reasons} for s in found] for key, found in change.items()} if change else {},
    }


@login_required
def site_applicability(request, pk):
    """Which requirements a site's facts make applicable, beside the recorded decisions; the
    coordinator records the suggestions chosen (and justifies what does not apply)."""
    site = get_object_or_404(Site.objects.restrict(request.user, "view"), pk=pk)
    if not can(request.user, "view", Applicability):
        raise PermissionDenied
    if request.method == "POST":
        return _record_decisions(request, site)
    data = applicability_data(request, site)
    only_gaps = request.GET.get("all") != "1"
    rows = [row for row in data["requirements"] if row["disagrees"] or not only_gaps]
    return render(request, "compliance/site_applicability.html", {
        "site": site, "data": data, "rows": rows[:300], "hidden_rows": max(0, len(rows) - 300),
        "only_gaps": only_gaps, "regimes": IcpeRegime.choices, "statuses": ApplicabilityStatus.choices,
        "can_decide": can(request.user, "add", Applicability), "can_edit_site": can(request.user, "change", site),
        "sites": Site.objects.restrict(request.user, "view").filter(archived_at__isnull=True),
    })


def _record_decisions(request, site):
    requirements = {r.pk: r for r in Requirement.objects.restrict(request.user, "view").filter(
        pk__in=[int(v) for v in request.POST.getlist("requirement") if v.isdigit()])}
    rows = []
    for pk, requirement in requirements.items():
        status = request.POST.get(f"status-{pk}", "")
        if status in ApplicabilityStatus.values:
            rows.append({"requirement": requirement, "status": status,
                         "justification": request.POST.get(f"justification-{pk}", "").strip()})
    try:
        count = services.applicabilities_apply(site=site, rows=rows, acting_user=request.user,
                                               today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("{count} decisions recorded.").format(count=count))
    return HttpResponseRedirect(reverse("compliance:site_applicability", args=[site.pk]))


@login_required
def evaluation_action_create(request, pk):
    """An action to close the gap an evaluation found."""
    evaluation = get_object_or_404(selectors.evaluation_queryset().restrict(request.user, "view"), pk=pk)
    if not can(request.user, "add", Action):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = EvaluationActionForm(request.POST or None, initial={
        "title": _("Comply with: {requirement}").format(requirement=evaluation.requirement)[:200],
        "owner": request.user.pk, "due_on": evaluation.next_due_on,
    })
    if request.method == "POST" and form.is_valid():
        try:
            action = services.evaluation_action_create(evaluation=evaluation, acting_user=request.user,
                                                       data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(action.get_absolute_url())
    link_form = EvaluationLinkForm(user=request.user)
    return render(request, "compliance/evaluation_action_form.html",
                  {"evaluation": evaluation, "form": form, "link_form": link_form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def evaluation_action_link(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.restrict(request.user, "view"), pk=pk)
    form = EvaluationLinkForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose an action without origin that you may change."))
        return HttpResponseRedirect(reverse("compliance:evaluation_action_create", args=[pk]))
    try:
        services.evaluation_action_link(evaluation=evaluation, action=form.cleaned_data["action"],
                                        acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action linked."))
    return HttpResponseRedirect(evaluation.get_absolute_url())


@login_required
@require_POST
def watchitem_qualify(request, pk):
    item = get_object_or_404(WatchItem.objects.restrict(request.user, "view"), pk=pk)
    if not can(request.user, "change", item):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = QualifyForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services_watch.item_qualify(item=item, acting_user=request.user, now=timezone.now(),
                                        **_decision(form.cleaned_data))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Item qualified."))
            return HttpResponseRedirect(reverse("compliance:watchitem_list"))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(item.get_absolute_url())


def _decision(cleaned: dict) -> dict:
    return {"decision": cleaned["decision"], "text": cleaned.get("text"), "kind": cleaned.get("kind") or "",
            "reason": cleaned.get("reason") or ""}


@login_required
@require_http_methods(["GET", "POST"])
def watchitem_bulk(request):
    """Qualify the items ticked in the inbox in one go (all or none); GET gives the inbox
    its form (loaded by HTMX above the list)."""
    if request.method == "GET":  # the counts for every reader, the form for who may qualify
        if not can(request.user, "view", WatchItem):
            raise PermissionDenied(_("You are not allowed to do this."))
        return render(request, "compliance/_bulk_qualify.html", inbox_context(request))
    if not can(request.user, "change", WatchItem):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = BulkQualifyForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            count = services_watch.items_qualify_bulk(items=list(form.cleaned_data["items"]), acting_user=request.user,
                                                      now=timezone.now(), **_decision(form.cleaned_data))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("{count} items qualified.").format(count=count))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(reverse("compliance:watchitem_list"))


@login_required
@require_POST
def source_poll(request, pk):
    source = get_object_or_404(Source.objects.restrict(request.user, "view"), pk=pk)
    try:
        services_watch.source_poll_request(source=source, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Poll requested: the result shows here in a moment."))
    return HttpResponseRedirect(source.get_absolute_url())


def inbox_context(request) -> dict:
    return {"counts": selectors_watch.inbox_counts(user=request.user),
            "bulk_form": BulkQualifyForm(user=request.user),
            "can_qualify": can(request.user, "change", WatchItem)}


add_nav("analyse", gettext_lazy("Site applicability"), "compliance:applicability_home", model=Applicability, order=55)


@login_required
def applicability_home(request):
    """The first site the user may see (each site's page links to the others)."""
    site = Site.objects.restrict(request.user, "view").filter(archived_at__isnull=True).order_by("name").first()
    if site is None:
        return render(request, "compliance/site_applicability.html", {"site": None, "sites": []})
    return HttpResponseRedirect(reverse("compliance:site_applicability", args=[site.pk]))


add_nav("analyse", gettext_lazy("Regulatory starter library"), "compliance:library", model=Text, order=59)


@login_required
@require_http_methods(["GET", "POST"])
def library(request):
    """The starter library's files, each loaded into the organization with one click."""
    from compliance.library import libraries, library_load, library_summary

    if request.method == "POST":
        library_id = request.POST.get("library_id", "")
        if library_id not in libraries():
            messages.error(request, _("Unknown library."))
        else:
            try:
                counts = library_load(library_id=library_id, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _(
                    "{texts_created} texts and {requirements_created} requirements added, {texts_updated} texts and "
                    "{requirements_updated} requirements updated.").format(**counts))
        return HttpResponseRedirect(reverse("compliance:library"))
    if not can(request.user, "view", Text):
        raise PermissionDenied
    return render(request, "compliance/library.html",
                  {"items": library_summary(), "can_load": can(request.user, "add", Text)})


add_nav("evaluate", gettext_lazy("Compliance dashboard"), "compliance:dashboard", model=Evaluation, order=29)


def dashboard_data(request) -> dict:
    """What the dashboard and its API show; ``?since=YYYY-MM-DD`` for the legal changes
    (default: the last 90 days)."""
    import datetime

    from compliance import selectors_dashboard as figures

    today = timezone.localdate()
    try:
        since = datetime.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = today - datetime.timedelta(days=90)
    user = request.user
    return {
        "today": today, "since": since, **figures.evaluation_figures(user=user, today=today),
        "by_theme": figures.rates_by_theme(user=user),
        "overdue": list(figures.overdue(user=user, today=today, limit=20)),
        "never_evaluated": figures.never_evaluated(user=user).count(),
        "gaps": figures.gaps_with_actions(user=user, limit=20),
        "changes": figures.changes_since(user=user, since=since),
        "inbox": selectors_watch.inbox_counts(user=user),
        "failing_sources": list(Source.objects.restrict(user, "view").filter(error_count__gt=0, archived_at__isnull=True)),
    }


@login_required
def dashboard(request):
    if not can(request.user, "view", Evaluation):
        raise PermissionDenied
    data = dashboard_data(request)
    sites = Site.objects.restrict(request.user, "view").filter(archived_at__isnull=True)
    return render(request, "compliance/dashboard.html", {**data, "sites": sites})
