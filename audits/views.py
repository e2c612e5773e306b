"""Audit programmes, audits, their auditees and plan, auditors' competences: declarations on
the generic views (pages, API, import, navigation); the workflow's buttons are in ``views_pages``."""

from django.utils import timezone

from audits import selectors, services, workflow
from audits.api import AuditApiMixin, AuditProgrammeApiMixin
from audits.filtersets import (
    AuditeeFilterSet,
    AuditFilterSet,
    AuditorCompetenceFilterSet,
    AuditProgrammeFilterSet,
    ScheduleItemFilterSet,
)
from audits.forms import (
    AuditeeForm,
    AuditForm,
    AuditorCompetenceForm,
    AuditProgrammeForm,
    ScheduleItemForm,
)
from audits.models import Audit, Auditee, AuditorCompetence, AuditProgramme, ScheduleItem
from audits.serializers import (
    AuditeeSerializer,
    AuditorCompetenceSerializer,
    AuditProgrammeSerializer,
    AuditSerializer,
    ScheduleItemSerializer,
)
from audits.tables import (
    AuditeeTable,
    AuditorCompetenceTable,
    AuditProgrammeTable,
    AuditTable,
    ScheduleItemTable,
)
from qse.permissions import can
from qse.registry import add_process_section, register
from qse.views.declarations import ObjectViews


@register
class AuditProgrammeViews(ObjectViews):
    model = AuditProgramme
    url_prefix = "programmes"
    table = AuditProgrammeTable
    form = AuditProgrammeForm
    filterset = AuditProgrammeFilterSet
    serializer = AuditProgrammeSerializer
    api_mixins = (AuditProgrammeApiMixin,)
    import_fields = ["year", "title", "objectives"]
    nav_block = "evaluate"
    nav_order = 10

    @classmethod
    def get_queryset(cls, request):
        return AuditProgramme.objects.select_related("owner")

    @classmethod
    def initial_for(cls, request):
        today = timezone.localdate()
        return {"year": today.year, "owner": request.user}

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "calendar": selectors.programme_calendar(obj, user=request.user),
            "coverage": selectors.programme_coverage(obj, user=request.user),
            "frequencies": selectors.process_frequencies(obj, user=request.user, today=timezone.localdate()),
            "may_add_audit": can(request.user, "add", Audit),
        }

@register
class AuditViews(ObjectViews):
    model = Audit
    table = AuditTable
    form = AuditForm
    filterset = AuditFilterSet
    serializer = AuditSerializer
    api_mixins = (AuditApiMixin,)
    import_fields = ["reference", "title", "kind", "category", "scope", "criteria", "process", "site",
                     "planned_start", "planned_end", "lead_auditor"]
    nav_block = "evaluate"
    nav_order = 11
    detail_exclude = ObjectViews.detail_exclude + (
        "lead_signature", "auditee_signature", "opening_held_at", "opening_attendees", "opening_notes",
        "closing_held_at", "closing_attendees", "closing_notes", "strengths", "conclusion", "status", "title",
    )

    @classmethod
    def get_queryset(cls, request):
        return selectors.audit_queryset()

    @classmethod
    def detail_fields(cls, obj, hidden=frozenset()):
        # The clauses are a list of numbers: shown as "8.4, 9.1.2", not as a Python list.
        return [(label, ", ".join(value) if isinstance(value, list) else value)
                for label, value in super().detail_fields(obj, hidden)]

    @classmethod
    def initial_for(cls, request):
        return {"lead_auditor": request.user}

    @classmethod
    def create(cls, request, data: dict):
        return services.audit_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services.audit_update(audit=instance, acting_user=request.user, data=data,
                                     expected_version=expected_version)

    @classmethod
    def detail_context(cls, request, obj):
        may_change = can(request.user, "change", obj)
        return {
            "team": list(obj.auditors.all()),
            "auditees": list(obj.auditees.restrict(request.user, "view").filter(archived_at__isnull=True)
                             .select_related("person")),
            "schedule": list(obj.schedule_items.restrict(request.user, "view").filter(archived_at__isnull=True)),
            "findings": selectors.audit_findings(obj, user=request.user),
            "moves": workflow.offered(services.audit_facts(obj)) if may_change else [],
            "may_change": may_change, "may_add_auditee": can(request.user, "add", Auditee(audit=obj,
                                                                                             organization_id=obj.organization_id)),
            "follow_ups": list(obj.follow_ups.restrict(request.user, "view")),
            "today": timezone.localdate(),
        }

@register
class AuditeeViews(ObjectViews):
    model = Auditee
    parent = ("audit", Audit, "audit")
    table = AuditeeTable
    form = AuditeeForm
    filterset = AuditeeFilterSet
    serializer = AuditeeSerializer

    @classmethod
    def get_queryset(cls, request):
        return Auditee.objects.select_related("audit", "person")

    @classmethod
    def create(cls, request, data: dict):
        return services.auditee_save(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services.auditee_save(acting_user=request.user, data=data, auditee=instance,
                                     expected_version=expected_version)

@register
class ScheduleItemViews(ObjectViews):
    model = ScheduleItem
    url_prefix = "plan"
    parent = ("audit", Audit, "audit")
    table = ScheduleItemTable
    form = ScheduleItemForm
    filterset = ScheduleItemFilterSet
    serializer = ScheduleItemSerializer

    @classmethod
    def get_queryset(cls, request):
        return ScheduleItem.objects.select_related("audit")

@register
class AuditorCompetenceViews(ObjectViews):
    model = AuditorCompetence
    url_prefix = "competences"
    table = AuditorCompetenceTable
    form = AuditorCompetenceForm
    filterset = AuditorCompetenceFilterSet
    serializer = AuditorCompetenceSerializer
    nav_block = "evaluate"
    nav_order = 13

    @classmethod
    def get_queryset(cls, request):
        return AuditorCompetence.objects.select_related("auditor")

add_process_section(
    Audit._meta.verbose_name_plural, model=Audit, table=AuditTable, list_url_name="audits:audit_list", order=60,
    rows=lambda user, process: selectors.audit_queryset().restrict(user, "view")
    .filter(process=process, archived_at__isnull=True).order_by("-planned_start"),
)
