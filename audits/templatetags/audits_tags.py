"""Labels of the audits pages' values (a status code as its translated label)."""

from django import template

from audits.choices import AuditStatus

register = template.Library()


@register.filter
def audit_status_label(value: str) -> str:
    return AuditStatus(value).label if value in AuditStatus.values else value


@register.filter
def action_status_label(value: str) -> str:
    from improvement.choices import ActionStatus

    return ActionStatus(value).label if value in ActionStatus.values else value
