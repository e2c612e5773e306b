import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from improvement.models import Action, ActionPlan
from qse.tables import ObjectTable, PersonColumn


class ActionTable(ObjectTable):
    key_columns = ("title", "owner", "status", "due_on")
    default_columns = ("title", "plan", "owner", "priority", "status", "due_on", "progress")  # fits 1024 px
    title = tables.Column(linkify=True)
    owner = PersonColumn(accessor="owner", verbose_name=_("owner"), order_by=("owner__last_name", "owner__first_name"))
    progress = tables.TemplateColumn(
        '<progress max="100" value="{{ value }}"></progress> {{ value }} %', verbose_name=_("progress (%)")
    )

    status = tables.TemplateColumn(
        '<span class="tag status-{{ record.status }}">{{ record.get_status_display }}</span>', verbose_name=_("status")
    )

    class Meta(ObjectTable.Meta):
        model = Action
        fields = ["title", "plan", "owner", "process", "site", "priority", "status", "due_on", "progress"]
        sequence = fields


    def value_progress(self, value):
        return value

    def value_status(self, record):
        return record.get_status_display()


class ActionPlanTable(ObjectTable):
    title = tables.Column(linkify=True)
    action_count = tables.Column(verbose_name=_("actions"), orderable=True)
    done_count = tables.Column(verbose_name=_("done"), orderable=True)

    class Meta(ObjectTable.Meta):
        model = ActionPlan
        fields = ["title", "owner", "process", "site", "status", "due_on", "action_count", "done_count"]
        sequence = fields
