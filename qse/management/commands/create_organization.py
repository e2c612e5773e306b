"""Create an organization and its first administrator without a browser (scripted installs):
the same service as the first-run setup page and the staff area."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qse.models import Sector
from qse.onboarding import FirstAdmin, NewOrganization, organization_create
from qse.validators import validate_siret


class Command(BaseCommand):
    help = "Create an organization with its first administrator (password given, or invited by e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--siret", default="")
        parser.add_argument("--sector", default="", choices=["", *Sector.values])
        parser.add_argument("--headcount", type=int)
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument("--admin-username", default="")
        parser.add_argument(
            "--admin-password-env", default="",
            help="Name of an environment variable holding the administrator's password "
                 "(never on the command line). Without it the administrator is invited by e-mail.",
        )

    def handle(self, *args, **options):
        import os

        password = None
        if options["admin_password_env"]:
            password = os.environ.get(options["admin_password_env"])
            if not password:
                raise CommandError(f"environment variable {options['admin_password_env']} is empty or missing")
        try:
            validate_siret(options["siret"])
            organization, user = organization_create(
                organization=NewOrganization(name=options["name"], siret=options["siret"], sector=options["sector"],
                                             headcount=options["headcount"], default_language=options["language"]),
                admin=FirstAdmin(email=options["admin_email"], first_name=options["admin_first_name"],
                                 last_name=options["admin_last_name"], password=password,
                                 username=options["admin_username"]),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        how = f"administrator {user.get_username()}" if user else f"invitation sent to {options['admin_email']}"
        self.stdout.write(f"Created organization {organization.name} ({organization.slug}), {how}.")
