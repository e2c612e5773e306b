from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Audits and suppliers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from audits import reminders_suppliers, review
        from audits.choices_banks import ReminderKind
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders_suppliers.plan_certification_reminders)
        register_kind(ReminderKind.CERTIFICATION_EXPIRY, label=ReminderKind.CERTIFICATION_EXPIRY.label,
                      renderer=reminders_suppliers.render_certification_reminder)
        review.register()  # its management review sections (qse.review)
