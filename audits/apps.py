from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Audits and suppliers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from audits import selectors_review
        from qse.review import ReviewSection, register_section

        register_section(ReviewSection(key="audits.results", title=_("Audit results"),
                                       selector=selectors_review.audit_results, order=60, process_review=True))
        register_section(ReviewSection(key="audits.programme", title=_("Audit programme completion"),
                                       selector=selectors_review.programme_completion, order=61, process_review=True))
        _ready_suppliers()


def _ready_suppliers() -> None:
    """Question banks and suppliers: the certification reminders and the review's section."""
    from audits import reminders_suppliers, review_suppliers
    from audits.choices_banks import ReminderKind
    from qse.reminders import register_kind
    from qse.reminders_planning import register_planner

    register_planner(reminders_suppliers.plan_certification_reminders)
    register_kind(ReminderKind.CERTIFICATION_EXPIRY, label=ReminderKind.CERTIFICATION_EXPIRY.label,
                  renderer=reminders_suppliers.render_certification_reminder)
    review_suppliers.register()
