from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Regulatory watch and compliance")

    def ready(self) -> None:
        from compliance import reminders
        from compliance.choices import ReminderKind
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_evaluation_reminders)
        register_kind(ReminderKind.EVALUATION_DUE, label=ReminderKind.EVALUATION_DUE.label,
                      renderer=reminders.render_evaluation_reminder)
