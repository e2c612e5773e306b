from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NonconformitiesConfig(AppConfig):
    name = "nonconformities"
    verbose_name = _("Nonconformities and incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from improvement.origins import register_effectiveness_reaction
        from nonconformities import reminders
        from nonconformities.choices import ReminderKind
        from nonconformities.models import Event
        from nonconformities.services import event_react_to_action_check
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_declaration_reminders)
        register_kind(ReminderKind.DECLARATION_DUE, label=ReminderKind.DECLARATION_DUE.label,
                      renderer=reminders.render_declaration_reminder)
        # An event reacts when one of its actions is checked (see event_react_to_action_check).
        register_effectiveness_reaction(Event, event_react_to_action_check)

        from nonconformities import review

        review.register()  # its management review sections (qse.review)
