import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from nonconformities.models import Event, HoursWorked, Person
from qse.tables import ObjectTable, PersonColumn


class EventTable(ObjectTable):
    key_columns = ("reference", "title", "status", "owner")
    default_columns = ("reference", "title", "event_type", "status", "occurred_at", "owner")  # fits 1024 px
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = tables.TemplateColumn(
        '<span class="tag event-status-{{ record.status }}">{{ record.get_status_display }}</span>',
        verbose_name=_("status"),
    )
    severity = tables.TemplateColumn(
        '<span class="tag severity-{{ record.severity }}">{{ record.get_severity_display }}</span>',
        verbose_name=_("severity"),
    )
    occurred_at = tables.DateTimeColumn(format="SHORT_DATE_FORMAT", verbose_name=_("occurred at"))
    owner = PersonColumn(accessor="owner", verbose_name=_("person in charge"), order_by=("owner__last_name", "owner__first_name"))
    cost_total = tables.Column(verbose_name=_("cost of non-quality"), attrs={"td": {"class": "number"}})

    class Meta(ObjectTable.Meta):
        model = Event
        fields = ["reference", "title", "event_type", "status", "severity", "site", "process", "occurred_at", "owner",
                  "cost_total"]
        sequence = fields


    def render_cost_total(self, value):
        return f"{value:,.2f} €".replace(",", " ") if value else "—"

    def value_cost_total(self, value):
        return value

    def value_status(self, record):
        return record.get_status_display()

    def value_severity(self, record):
        return record.get_severity_display()


class PersonTable(ObjectTable):
    full_name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Person
        fields = ["full_name", "employee_number", "job_title", "site", "is_temporary_worker"]
        sequence = fields


class HoursWorkedTable(ObjectTable):
    month = tables.DateColumn(format="m/Y", linkify=True, verbose_name=_("month"))

    class Meta(ObjectTable.Meta):
        model = HoursWorked
        fields = ["month", "site", "hours"]
        sequence = fields
