"""Signals other apps listen to (the action's origin reacts to its effectiveness check)."""

from django.dispatch import Signal

# Sent after an action's effectiveness check is recorded: action, acting_user, result.
action_effectiveness_recorded = Signal()
