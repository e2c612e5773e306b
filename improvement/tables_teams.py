import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from improvement.models import (
    ImprovementTeam,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from qse.tables import ObjectTable


def _session_link(record) -> str:
    return reverse("improvement:worksession_detail", args=[record.team_id, record.pk])


def _member_link(record) -> str:
    return reverse("improvement:teammember_detail", args=[record.team_id, record.pk])


class ImprovementTeamTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ImprovementTeam
        fields = ["name", "leader", "sector", "product", "process", "site"]
        sequence = fields


class TeamMemberTable(ObjectTable):
    user = tables.Column(linkify=_member_link, verbose_name=_("person"))

    class Meta(ObjectTable.Meta):
        model = TeamMember
        fields = ["user", "role", "competences", "objective"]
        sequence = fields

    def render_user(self, value):
        from qse.labels import person_label

        return person_label(value)


class WorkSessionTable(ObjectTable):
    title = tables.Column(linkify=_session_link)
    attendee_count = tables.Column(verbose_name=_("present"), orderable=True)

    class Meta(ObjectTable.Meta):
        model = WorkSession
        fields = ["title", "kind", "starts_at", "duration_minutes", "place", "attendee_count"]
        sequence = fields


class TrainingTopicTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = TrainingTopic
        fields = ["name", "domain", "validity_months", "required_for_everyone", "required_team_roles"]
        sequence = fields


class TrainingRecordTable(ObjectTable):
    topic = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = TrainingRecord
        fields = ["topic", "person", "trained_on", "valid_until", "trainer", "training_body"]
        sequence = fields
