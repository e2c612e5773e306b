from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QseConfig(AppConfig):
    name = "qse"
    verbose_name = _("Pilote QSE")

    def ready(self) -> None:
        from qse import rls

        # Runs after every app's migrations, since qse's post_migrate is sent once per app:
        # we key on the last one by installing for all tables each time (idempotent).
        post_migrate.connect(rls.on_post_migrate, dispatch_uid="qse_rls")
        from django.contrib.auth.signals import user_logged_in

        from qse.profiles import remember_language_at_sign_in

        user_logged_in.connect(remember_language_at_sign_in, dispatch_uid="qse_sign_in_language")
