"""``manage.py load_check_types <organization slug> --user <username> [--language fr|en]``: add
the starter library's check types to an organization, as one of its coordinators or admins
(the same service as the page and the API; types already there are kept)."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from compliance import library_checks, services_checks
from qse.models import Membership
from qse.tenancy import activate, scope_restored, system_context


class Command(BaseCommand):
    help = "Add the starter library of periodic check types to an organization."

    def add_arguments(self, parser):
        parser.add_argument("organization", help="the organization's slug")
        parser.add_argument("--user", required=True, help="a coordinator or admin of the organization")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])

    def handle(self, *args, organization, user, language, **options):
        with system_context():
            membership = (
                Membership.objects.select_related("organization", "user")
                .filter(organization__slug=organization, user__username=user, is_active=True).first()
            )
        if membership is None:
            raise CommandError(f"{user} is not an active member of {organization}")
        with scope_restored():
            activate(membership)
            try:
                added = services_checks.check_types_load(
                    acting_user=membership.user, entries=library_checks.check_type_entries(), language=language)
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"{added} check types added to {organization}")
