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
