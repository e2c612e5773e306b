from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks and opportunities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner
        from risks import reminders
        from risks.choices import ReminderKind

        register_planner(reminders.plan_risk_reminders)
        from risks import sources_environment

        sources_environment.register()  # computed indicators of the objectives module
        register_kind(ReminderKind.REVIEW_DUE, label=ReminderKind.REVIEW_DUE.label,
                      renderer=reminders.render_review_reminder)
        register_kind(ReminderKind.DUERP_UPDATE_DUE, label=ReminderKind.DUERP_UPDATE_DUE.label,
                      renderer=reminders.render_duerp_reminder)

        from risks import review

        review.register()  # its management review sections (qse.review)
