"""Context of the organization: declarations on the generic views, plus the SWOT grid,
the interested-parties map, the chapter-4 page and publishing a new policy version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from context import charts, selectors, services
from context.api import PolicyStatementApiMixin
from context.filtersets import (
    ContextIssueFilterSet,
    InterestedPartyFilterSet,
    PartyExpectationFilterSet,
    PolicyStatementFilterSet,
    SwotItemFilterSet,
)
from context.forms import (
    ClimateDecisionForm,
    ContextIssueForm,
    InterestedPartyForm,
    PartyExpectationForm,
    PolicyNewVersionForm,
    PolicyStatementForm,
    SwotItemForm,
)
from context.models import (
    ClimateDecision,
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from context.serializers import (
    ClimateDecisionSerializer,
    ContextIssueSerializer,
    InterestedPartySerializer,
    PartyExpectationSerializer,
    PolicyStatementSerializer,
    SwotItemSerializer,
)
from context.tables import (
    ClimateDecisionTable,
    ContextIssueTable,
    InterestedPartyTable,
    PartyExpectationTable,
    PolicyStatementTable,
    SwotItemTable,
)
from qse.permissions import can
from qse.registry import add_nav, register
from qse.views.declarations import ObjectViews


@register
class PolicyStatementViews(ObjectViews):
    model = PolicyStatement
    url_prefix = "statements"
    table = PolicyStatementTable
    form = PolicyStatementForm
    filterset = PolicyStatementFilterSet
    serializer = PolicyStatementSerializer
    api_mixins = (PolicyStatementApiMixin,)
    nav_block = "analyse"
    nav_order = 20

    @classmethod
    def get_queryset(cls, request):
        return selectors.policy_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services.policy_create(acting_user=request.user, data=data)

    @classmethod
    def detail_context(cls, request, obj):
        versions = PolicyStatement.objects.restrict(request.user, "view").filter(kind=obj.kind).select_related("approved_by")
        return {"versions": versions, "sites": list(obj.sites.all()), "can_publish": can(request.user, "add", PolicyStatement)}


@register
class ContextIssueViews(ObjectViews):
    model = ContextIssue
    url_prefix = "issues"
    table = ContextIssueTable
    form = ContextIssueForm
    filterset = ContextIssueFilterSet
    serializer = ContextIssueSerializer
    import_fields = ["title", "description", "origin", "pestel", "effect", "importance", "last_reviewed_on"]
    nav_block = "analyse"
    nav_order = 22

    @classmethod
    def get_queryset(cls, request):
        return selectors.issue_queryset()


@register
class SwotItemViews(ObjectViews):
    model = SwotItem
    url_prefix = "swot-items"
    table = SwotItemTable
    form = SwotItemForm
    filterset = SwotItemFilterSet
    serializer = SwotItemSerializer
    import_fields = ["quadrant", "text"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.swot_queryset()


@register
class InterestedPartyViews(ObjectViews):
    model = InterestedParty
    url_prefix = "parties"
    table = InterestedPartyTable
    form = InterestedPartyForm
    filterset = InterestedPartyFilterSet
    serializer = InterestedPartySerializer
    import_fields = ["name", "category", "description", "influence", "interest", "last_reviewed_on"]
    nav_block = "analyse"
    nav_order = 26

    @classmethod
    def get_queryset(cls, request):
        return selectors.party_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        expectations = selectors.expectation_queryset().restrict(request.user, "view").filter(party=obj, archived_at__isnull=True)
        return {"expectations": expectations, "priority": obj.priority}


@register
class PartyExpectationViews(ObjectViews):
    model = PartyExpectation
    url_prefix = "expectations"
    table = PartyExpectationTable
    form = PartyExpectationForm
    filterset = PartyExpectationFilterSet
    serializer = PartyExpectationSerializer
    import_fields = ["party", "text", "is_compliance_obligation"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.expectation_queryset()


@register
class ClimateDecisionViews(ObjectViews):
    model = ClimateDecision
    url_prefix = "climate-decisions"
    table = ClimateDecisionTable
    form = ClimateDecisionForm
    serializer = ClimateDecisionSerializer
    nav_block = "analyse"
    nav_order = 28

    @classmethod
    def get_queryset(cls, request):
        return selectors.climate_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"decided_by": request.user, "decided_on": timezone.localdate()}

    @classmethod
    def detail_context(cls, request, obj):
        """The measured footprint the decision rests on (issue 14: risks' GHG inventories)."""
        from qse.permissions import can
        from risks.models import GhgInventory
        from risks.selectors_environment import environmental_footprint

        if not can(request.user, "view", GhgInventory):
            return {}
        return {"footprint": environmental_footprint(user=request.user), "shows_footprint": True}

    @classmethod
    def create(cls, request, data: dict):
        return services.climate_decision_record(acting_user=request.user, data=data, today=timezone.localdate())

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.climate_decision_update(
            decision=instance, acting_user=request.user, data=data, expected_version=expected_version
        )


add_nav("analyse", gettext_lazy("Context of the organization"), "context:overview", order=15)
add_nav("analyse", gettext_lazy("SWOT"), "context:swot", model=SwotItem, order=23)
add_nav("analyse", gettext_lazy("Interested parties map"), "context:party_map", model=InterestedParty, order=27)


@login_required
def overview(request):
    """Chapter 4 of the management-system manual, read from one selector."""
    chapter = selectors.context_chapter(user=request.user, today=timezone.localdate())
    return render(request, "context/overview.html", {"chapter": chapter})


@login_required
def swot(request):
    return render(request, "context/swot.html", {
        "quadrants": selectors.swot_grid(user=request.user), "can_add": can(request.user, "add", SwotItem),
    })


@login_required
def party_map(request):
    parties = selectors.party_map(user=request.user)
    return render(request, "context/party_map.html", {"parties": parties, "figure": charts.party_map_figure(parties)})


@login_required
def policystatement_new_version(request, pk):
    """Publish the next version of a statement; the one it replaces is kept as it was."""
    previous = get_object_or_404(PolicyStatement.objects.restrict(request.user, "view"), pk=pk)
    if not can(request.user, "add", PolicyStatement):
        raise PermissionDenied(_("You are not allowed to do this."))
    if request.method == "POST":
        form = PolicyNewVersionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                created = services.policy_publish_new_version(
                    previous=previous, acting_user=request.user, data=form.changes(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Version {number} published.").format(number=created.version_number))
                return HttpResponseRedirect(created.get_absolute_url())
        status = 400
    else:
        initial = {name: getattr(previous, name) for name in PolicyNewVersionForm.Meta.fields if name != "sites"}
        initial.update(sites=list(previous.sites.all()), approved_on=None, approved_by=None)
        form, status = PolicyNewVersionForm(initial=initial, user=request.user), 200
    return render(request, "context/policystatement_new_version.html", {"form": form, "previous": previous}, status=status)
