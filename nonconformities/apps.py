from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NonconformitiesConfig(AppConfig):
    name = "nonconformities"
    verbose_name = _("Nonconformities and incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from improvement.signals import action_effectiveness_recorded
        from nonconformities import reminders
        from qse.models import ReminderKind
        from qse.reminders import register_renderer
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_declaration_reminders)
        register_renderer(ReminderKind.DECLARATION_DUE, reminders.render_declaration_reminder)
        action_effectiveness_recorded.connect(_reopen_event, dispatch_uid="nonconformities.reopen_event")


def _reopen_event(sender, *, action, acting_user, result, **kwargs) -> None:
    """An action of an event checked not effective sends the event back to analysis."""
    from nonconformities.services import event_reopen_for_action

    event_reopen_for_action(action=action, acting_user=acting_user, result=result)
