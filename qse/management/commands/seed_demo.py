"""Load the demo organizations (idempotent): a machining plant and a second organization."""

from django.core.management.base import BaseCommand

from qse.demo import DEMO_ACCOUNTS, seed_demo


class Command(BaseCommand):
    help = "Create the demo organizations and accounts (password: pilote-demo). Safe to run again."

    def handle(self, *args, **options):
        created = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data created." if created else "Demo data already present."))
        for username, role, organization in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role:<16} {organization}")
