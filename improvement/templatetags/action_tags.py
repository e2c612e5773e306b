"""``{% action_offer action as offer %}``: what the workflow offers this user on this action
(buttons, progress, effectiveness check, board arrows, lateness), from ``improvement.workflow``,
so no template re-encodes the transition table or the "late" rule."""

from django import template
from django.utils import timezone

from improvement import workflow
from improvement.services import effectiveness_refusals
from qse.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def action_offer(context, action) -> workflow.Offer:
    user = context["request"].user
    return workflow.offer(
        action, today=context.get("today") or timezone.localdate(),
        may_change=can(user, "change", action),
        may_verify=not effectiveness_refusals(user=user, action=action),
    )
