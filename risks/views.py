"""Risk matrices and the register: declarations on the generic views, plus the heatmap,
the matrix library and "create an action from this risk"."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from improvement import services as action_services
from improvement.choices import ActionOriginKind
from improvement.models import Action
from improvement.selectors import actions_of
from improvement.tables import ActionTable
from qse.permissions import can
from qse.registry import add_nav, add_process_section, register
from qse.views.declarations import ObjectViews
from risks import scoring, selectors, services
from risks.api import RiskApiMixin  # its module registers the DUERP, library and heatmap API
from risks.filtersets import RiskFilterSet, RiskMatrixFilterSet
from risks.forms import RiskActionForm, RiskForm, RiskMatrixForm
from risks.library import library_matrices, localized
from risks.models import Risk, RiskMatrix
from risks.serializers import RiskMatrixSerializer, RiskSerializer
from risks.tables import RiskMatrixTable, RiskTable, score_tag


@register
class RiskMatrixViews(ObjectViews):
    model = RiskMatrix
    url_prefix = "matrices"
    table = RiskMatrixTable
    form = RiskMatrixForm
    filterset = RiskMatrixFilterSet
    serializer = RiskMatrixSerializer
    nav_block = "analyse"
    nav_order = 40
    detail_exclude = ObjectViews.detail_exclude + ("scales", "bands")

    @classmethod
    def get_queryset(cls, request):
        return selectors.matrix_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        return {"matrix": matrix_display(obj.data)}

    @classmethod
    def create(cls, request, data: dict):
        return services.matrix_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        matrix = services.matrix_update(
            matrix=instance, acting_user=request.user, data=data, expected_version=expected_version
        )
        if matrix.rescore_pending:
            messages.info(request, _(
                "The risks that use this matrix are being rescored in the background; "
                "their scores will be up to date in a few minutes."
            ), fail_silently=True)
        return matrix


@register
class RiskViews(ObjectViews):
    model = Risk
    table = RiskTable
    form = RiskForm
    filterset = RiskFilterSet
    serializer = RiskSerializer
    api_mixins = (RiskApiMixin,)
    nav_block = "analyse"
    nav_order = 30
    detail_exclude = ObjectViews.detail_exclude + ("inherent_level", "residual_level")
    # An existing Excel register: the matrix defaults to the organization's default one.
    import_fields = [
        "reference", "title", "kind", "domains", "process", "site", "source", "source_detail",
        "cause", "consequence", "existing_controls", "matrix",
        "inherent_gravity", "inherent_probability", "inherent_detectability",
        "treatment", "treatment_justification", "accepted_by",
        "residual_gravity", "residual_probability", "residual_detectability",
        "owner", "next_review_on", "status",
    ]

    @classmethod
    def get_queryset(cls, request):
        return selectors.risk_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user, "matrix": selectors.matrix_default(user=request.user)}

    @classmethod
    def detail_context(cls, request, obj):
        actions = actions_of(obj, user=request.user)
        return {
            "actions_table": ActionTable(actions, request=request),
            "inherent_tag": score_tag(obj.matrix, obj.inherent_score),
            "residual_tag": score_tag(obj.matrix, obj.residual_score),
            "can_add_action": can(request.user, "add", Action),
        }

    @classmethod
    def create(cls, request, data: dict):
        return services.risk_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.risk_update(
            risk=instance, acting_user=request.user, data=data, expected_version=expected_version
        )

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services.risks_import(risks=instances, acting_user=acting_user)


add_nav("analyse", gettext_lazy("Risk heatmap"), "risks:heatmap", model=Risk, order=35)
add_process_section(
    Risk._meta.verbose_name_plural, model=Risk, table=RiskTable, list_url_name="risks:risk_list", order=10,
    rows=lambda user, process: selectors.risk_queryset().restrict(user, "view")
    .filter(process=process, archived_at__isnull=True).order_by("reference", "pk"),
)


def matrix_display(data: dict) -> dict:
    """A matrix's scales and bands in the active language, for its detail page."""
    scales = [
        {"axis": axis, "name": localized(scale.get("name") or axis), "levels": [
            {"value": item["value"], "label": localized(item["label"]), "description": localized(item.get("description"))}
            for item in scale["levels"]
        ]}
        for axis, scale in data["scales"].items()
    ]
    bands = [{**band, "label": localized(band["label"])} for band in data["bands"]]
    return {"scales": scales, "bands": bands, "threshold": data["acceptability_threshold"]}


@login_required
def heatmap(request):
    """Inherent and residual positions of the open risks on one matrix, with the register's filters."""
    matrices = RiskMatrix.objects.restrict(request.user, "view").filter(archived_at__isnull=True)
    matrix_id = request.GET.get("matrix", "")
    matrix = (
        get_object_or_404(matrices, pk=int(matrix_id)) if matrix_id.isdigit()
        else selectors.matrix_default(user=request.user)
    )
    filterset = RiskFilterSet(request.GET, queryset=Risk.objects.all(), request=request)
    risks = filterset.qs if filterset.is_valid() else Risk.objects.none()
    context = {"matrix": matrix, "matrices": matrices, "filterset": filterset}
    if matrix is not None:
        data = matrix.data
        context.update(
            **selectors.risk_heatmaps(user=request.user, matrix=matrix, risks=risks),
            probabilities=scoring.scale_values(data, "probability"),
            display=matrix_display(data),
            top=selectors.risk_top(user=request.user, risks=risks),
        )
    return render(request, "risks/heatmap.html", context)


@login_required
def matrix_library(request):
    """The library's matrices, each copied into the organization with one click."""
    if request.method == "POST":
        try:
            matrix = services.matrix_copy_from_library(library_id=request.POST.get("library_id", ""), acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("risks:matrix_library"))
        messages.success(request, _("Matrix copied into your organization."))
        return HttpResponseRedirect(matrix.get_absolute_url())
    if not can(request.user, "view", RiskMatrix):
        raise PermissionDenied
    items = [
        {"id": data["id"], "version": data["version"], "name": localized(data["name"]),
         "description": localized(data.get("description")), "bands": [{**b, "label": localized(b["label"])} for b in data["bands"]]}
        for data in library_matrices().values()
    ]
    return render(request, "risks/matrix_library.html", {"items": items, "can_add": can(request.user, "add", RiskMatrix)})


@login_required
@require_http_methods(["GET", "POST"])
def risk_action_create(request, pk):
    """Create an action whose origin is this risk (owner, process and site come from the risk)."""
    risk = get_object_or_404(selectors.risk_queryset().restrict(request.user, "view"), pk=pk)
    if not can(request.user, "add", Action):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = RiskActionForm(request.POST or None, initial={
        "title": risk.title, "due_on": risk.next_review_on or timezone.localdate() + datetime.timedelta(days=90),
    })
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "owner": risk.owner, "process": risk.process, "site": risk.site}
        try:
            action = action_services.action_create(
                acting_user=request.user, data=data, origin=risk, origin_kind=ActionOriginKind.RISK
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action created."))
            return HttpResponseRedirect(action.get_absolute_url())
    return render(request, "risks/risk_action_form.html", {"risk": risk, "form": form}, status=400 if form.errors else 200)


# The DUERP declarations live in their own module; importing it registers them.
from risks import views_duerp  # noqa: E402, F401
from risks.views_aspects import EnvironmentalAspectViews  # noqa: E402, F401
