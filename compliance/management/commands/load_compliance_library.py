"""Load the starter library (or one of its files) into an organization, on request:

    manage.py load_compliance_library <organization-slug> [--library fr-qse-core] [--language fr]
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from compliance.library import libraries, library_load
from qse.models import Membership, Organization
from qse.roles import Role
from qse.tenancy import organization_context


class Command(BaseCommand):
    help = "Load the regulatory starter library into an organization (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("organization")
        parser.add_argument("--library", action="append", choices=sorted(libraries()))
        parser.add_argument("--language", default="fr", choices=["fr", "en"])

    def handle(self, *args, organization, library, language, **options):
        from qse.tenancy import system_context

        with system_context():
            found = Organization.objects.filter(slug=organization).first()
            membership = (Membership.objects.select_related("user", "organization")
                          .filter(organization=found, role__in=[Role.ADMIN, Role.COORDINATOR], is_active=True)
                          .order_by("role", "pk").first()) if found else None
        if membership is None:
            raise CommandError(f"No organization {organization!r} with an active admin or coordinator.")
        with translation.override(language), organization_context(membership.organization, membership):
            for library_id in library or sorted(libraries()):
                counts = library_load(library_id=library_id, acting_user=membership.user)
                self.stdout.write(f"{library_id}: {counts}")
