"""List tables of the audits app (they also drive the CSV/XLSX exports)."""

import django_tables2 as tables

from audits.models import Audit, Auditee, AuditorCompetence, AuditProgramme, ScheduleItem
from qse.tables import ObjectTable, PersonColumn

PAGE_LINK = {"a": {"hx-boost": "false"}}


class AuditProgrammeTable(ObjectTable):
    title = tables.Column(linkify=True, attrs=PAGE_LINK)
    key_columns = ("title",)

    class Meta(ObjectTable.Meta):
        model = AuditProgramme
        fields = ["year", "title", "owner"]
        sequence = fields


class AuditTable(ObjectTable):
    title = tables.Column(linkify=True, attrs=PAGE_LINK)
    key_columns = ("title",)

    class Meta(ObjectTable.Meta):
        model = Audit
        fields = ["reference", "title", "kind", "category", "process", "site", "planned_start", "lead_auditor",
                  "status"]
        sequence = fields


class AuditeeTable(ObjectTable):
    person = tables.Column(linkify=True, attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = Auditee
        fields = ["person", "reason", "note"]
        sequence = fields


class ScheduleItemTable(ObjectTable):
    subject = tables.Column(linkify=True, attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = ScheduleItem
        fields = ["starts_at", "ends_at", "activity", "subject", "location"]
        sequence = fields


class AuditorCompetenceTable(ObjectTable):
    # By the person's name ("Sophie Lefèvre", not "auditor"), linked to the competence record.
    auditor = PersonColumn(linkify=lambda record: record.get_absolute_url(), attrs=PAGE_LINK)

    class Meta(ObjectTable.Meta):
        model = AuditorCompetence
        fields = ["auditor", "standards", "sectors", "qualified_on"]
        sequence = fields
