from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContextConfig(AppConfig):
    name = "context"
    verbose_name = _("Context of the organization")

    def ready(self) -> None:
        from context import reminders
        from context.choices import ReminderKind
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_climate_reminders)
        register_kind(ReminderKind.CLIMATE_REVIEW_DUE, label=ReminderKind.CLIMATE_REVIEW_DUE.label,
                      renderer=reminders.render_climate_reminder)

        from context import review

        review.register()  # its management review sections (qse.review)
