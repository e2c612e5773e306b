"""The regulatory watch and compliance pages: declarations on the generic views (texts,
versions, requirements, site facts, applicability, evaluations, interlocutors, sources and the
inbox), plus the hand-built pages in ``views_pages`` (site applicability, inbox qualification,
gap actions, dashboard, library)."""

from django.utils import timezone

from compliance import selectors, services
from compliance.api import EvaluationApiMixin, SourceApiMixin, WatchItemApiMixin
from compliance.filtersets import (
    ApplicabilityFilterSet,
    EvaluationFilterSet,
    IcpeClassificationFilterSet,
    InterlocutorFilterSet,
    RequirementFilterSet,
    SiteProfileFilterSet,
    SourceFilterSet,
    TextFilterSet,
    TextVersionFilterSet,
    WatchItemFilterSet,
)
from compliance.forms import (
    ApplicabilityForm,
    EvaluationForm,
    IcpeClassificationForm,
    InterlocutorForm,
    RequirementForm,
    SiteProfileForm,
    SourceForm,
    TextForm,
    TextVersionForm,
    WatchItemForm,
)
from compliance.models import (
    Applicability,
    Evaluation,
    IcpeClassification,
    Interlocutor,
    Requirement,
    SiteProfile,
    Source,
    Text,
    TextVersion,
    WatchItem,
)
from compliance.serializers import (
    ApplicabilitySerializer,
    EvaluationSerializer,
    IcpeClassificationSerializer,
    InterlocutorSerializer,
    RequirementSerializer,
    SiteProfileSerializer,
    SourceSerializer,
    TextSerializer,
    TextVersionSerializer,
    WatchItemSerializer,
)
from compliance.tables import (
    ApplicabilityTable,
    EvaluationTable,
    IcpeClassificationTable,
    InterlocutorTable,
    RequirementTable,
    SiteProfileTable,
    SourceTable,
    TextTable,
    TextVersionTable,
    WatchItemTable,
)
from improvement.models import Action
from improvement.selectors import actions_of
from improvement.tables import ActionTable
from qse.permissions import can
from qse.registry import register
from qse.views.declarations import ObjectViews


class ListsAsText:
    """Free lists (themes, activities) read as "a, b" on the detail page, not as a Python list."""

    @classmethod
    def detail_fields(cls, obj, hidden=frozenset()):
        return [(label, _as_text(value)) for label, value in super().detail_fields(obj, hidden)]


def _as_text(value):
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{key.upper()} {item}" for key, item in value.items())
    return value


@register
class TextViews(ListsAsText, ObjectViews):
    model = Text
    url_prefix = "texts"
    table = TextTable
    form = TextForm
    filterset = TextFilterSet
    serializer = TextSerializer
    nav_block = "analyse"
    nav_order = 50
    detail_exclude = ObjectViews.detail_exclude + ("library_key",)
    import_fields = [
        "kind", "reference", "title", "nor", "celex", "eli", "edition", "signed_on", "published_on", "effective_on",
        "status", "repealed_on", "domains", "themes", "official_url", "readable_url", "summary",
    ]

    @classmethod
    def get_queryset(cls, request):
        return selectors.text_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services.text_create(acting_user=request.user, data=data)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services.texts_import(texts=instances, acting_user=acting_user)

    @classmethod
    def detail_context(cls, request, obj):
        context = selectors.text_detail(obj, user=request.user)
        return {**context, "requirements_table": RequirementTable(context["requirements"], request=request,
                                                                  exclude=("text",)),
                "can_add_version": can(request.user, "change", obj) and can(request.user, "add", TextVersion)}


@register
class TextVersionViews(ObjectViews):
    model = TextVersion
    url_prefix = "versions"
    table = TextVersionTable
    form = TextVersionForm
    filterset = TextVersionFilterSet
    serializer = TextVersionSerializer

    @classmethod
    def get_queryset(cls, request):
        return selectors.version_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services.text_add_version(text=data["text"], acting_user=request.user, data=data)

    @classmethod
    def detail_context(cls, request, obj):
        return {"diff": selectors.version_diff(obj)}


@register
class RequirementViews(ListsAsText, ObjectViews):
    model = Requirement
    url_prefix = "requirements"
    table = RequirementTable
    form = RequirementForm
    filterset = RequirementFilterSet
    serializer = RequirementSerializer
    nav_block = "analyse"
    nav_order = 51
    detail_exclude = ObjectViews.detail_exclude + ("library_key", "conditions")
    # An existing regulatory register, one requirement a row (its text named by its reference).
    import_fields = [
        "text", "article", "title", "description", "concerned", "evidence_expected", "evaluation_interval_months",
        "domains", "themes", "is_normative",
    ]

    @classmethod
    def get_queryset(cls, request):
        return selectors.requirement_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        from compliance import conditions

        context = selectors.requirement_detail(obj, user=request.user)
        return {
            "applicabilities_table": ApplicabilityTable(context["applicabilities"], request=request,
                                                        exclude=("requirement",)),
            "evaluations_table": EvaluationTable(context["evaluations"], request=request, exclude=("requirement",)),
            "conditions_text": conditions.describe(obj.conditions),
            "can_evaluate": can(request.user, "add", Evaluation),
            "can_decide": can(request.user, "add", Applicability),
        }


@register
class SiteProfileViews(ListsAsText, ObjectViews):
    model = SiteProfile
    url_prefix = "site-profiles"
    table = SiteProfileTable
    form = SiteProfileForm
    filterset = SiteProfileFilterSet
    serializer = SiteProfileSerializer
    nav_block = "analyse"
    nav_order = 56

    @classmethod
    def get_queryset(cls, request):
        return selectors.profile_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        return {"classifications": selectors.classification_queryset().restrict(request.user, "view")
                .filter(site=obj.site, archived_at__isnull=True)}


@register
class IcpeClassificationViews(ObjectViews):
    model = IcpeClassification
    url_prefix = "icpe"
    table = IcpeClassificationTable
    form = IcpeClassificationForm
    filterset = IcpeClassificationFilterSet
    serializer = IcpeClassificationSerializer
    import_fields = ["site", "rubrique", "regime", "dated_on", "activity_level", "act_reference"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.classification_queryset()


@register
class ApplicabilityViews(ObjectViews):
    model = Applicability
    url_prefix = "applicability"
    table = ApplicabilityTable
    form = ApplicabilityForm
    filterset = ApplicabilityFilterSet
    serializer = ApplicabilitySerializer
    import_fields = ["requirement", "site", "status", "justification", "decided_on"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.applicability_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"decided_on": timezone.localdate()}


@register
class EvaluationViews(ObjectViews):
    model = Evaluation
    url_prefix = "evaluations"
    table = EvaluationTable
    form = EvaluationForm
    filterset = EvaluationFilterSet
    serializer = EvaluationSerializer
    api_mixins = (EvaluationApiMixin,)
    nav_block = "evaluate"
    nav_order = 30

    @classmethod
    def get_queryset(cls, request):
        return selectors.evaluation_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"evaluator": request.user, "evaluated_on": timezone.localdate()}

    @classmethod
    def create(cls, request, data: dict):
        return services.evaluation_record(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services.evaluation_update(evaluation=instance, acting_user=request.user, data=data,
                                          expected_version=expected_version)

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "actions_table": ActionTable(actions_of(obj, user=request.user), request=request),
            "can_add_action": obj.is_gap and can(request.user, "add", Action),
            "can_link_action": obj.is_gap and can(request.user, "add", Action),
        }


@register
class InterlocutorViews(ObjectViews):
    model = Interlocutor
    url_prefix = "interlocutors"
    table = InterlocutorTable
    form = InterlocutorForm
    filterset = InterlocutorFilterSet
    serializer = InterlocutorSerializer
    nav_block = "analyse"
    nav_order = 57
    import_fields = ["kind", "name", "body", "site", "email", "phone", "requires", "last_contact_on", "next_visit_on"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.interlocutor_queryset()


@register
class SourceViews(ListsAsText, ObjectViews):
    model = Source
    url_prefix = "sources"
    table = SourceTable
    form = SourceForm
    filterset = SourceFilterSet
    serializer = SourceSerializer
    api_mixins = (SourceApiMixin,)
    nav_block = "analyse"
    nav_order = 58
    detail_exclude = ObjectViews.detail_exclude + (
        "client_secret", "access_token", "token_expires_at", "etag", "last_modified",
    )

    @classmethod
    def detail_context(cls, request, obj):
        from compliance import selectors_watch

        return {"runs": selectors_watch.poll_history(obj, user=request.user),
                "can_poll": obj.is_polled and can(request.user, "change", obj)}


@register
class WatchItemViews(ListsAsText, ObjectViews):
    model = WatchItem
    url_prefix = "inbox"
    table = WatchItemTable
    form = WatchItemForm
    filterset = WatchItemFilterSet
    serializer = WatchItemSerializer
    api_mixins = (WatchItemApiMixin,)
    nav_block = "analyse"
    nav_order = 49
    detail_exclude = ObjectViews.detail_exclude + ("key",)

    @classmethod
    def get_queryset(cls, request):
        return WatchItem.objects.select_related("source", "text")

    @classmethod
    def create(cls, request, data: dict):
        from compliance import services_watch

        return services_watch.item_enter(acting_user=request.user, data=data)

    @classmethod
    def detail_context(cls, request, obj):
        from compliance.forms_watch import QualifyForm

        return {"qualify_form": QualifyForm(user=request.user),
                "can_qualify": obj.status == "new" and can(request.user, "change", obj)}


# The hand-built pages; importing the module registers their navigation.
from compliance import views_checks, views_documents, views_pages  # noqa: E402, F401
