from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = _("Continuous improvement")

    def ready(self) -> None:
        from improvement import reminders
        from improvement.choices import ReminderKind
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_action_reminders)
        for kind in (ReminderKind.DUE_SOON, ReminderKind.DUE_TODAY, ReminderKind.OVERDUE):
            register_kind(kind, label=kind.label, renderer=reminders.render_action_reminder)
        register_kind(ReminderKind.WEEKLY_DIGEST, label=ReminderKind.WEEKLY_DIGEST.label,
                      renderer=reminders.render_weekly_digest)

        from improvement import review

        review.register()  # its management review sections (qse.review)
