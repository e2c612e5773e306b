from django import template

from objectives.choices import IndicatorStatus

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """The translated label of an indicator status value."""
    return str(IndicatorStatus(status).label) if status in IndicatorStatus.values else status
