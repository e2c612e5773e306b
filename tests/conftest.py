"""Test setup: real PostgreSQL with row-level security, two organizations everywhere.

The test database is created and migrated as the owner role; the tests then connect as
the application role, to which row-level security applies, exactly as in production.
"""

from __future__ import annotations

import contextlib

import pytest
from django.conf import settings
from django.db import connection, connections

from qse.testing import World, build_world


def _use_credentials(credentials: dict) -> None:
    for alias in connections:
        connections[alias].close()
        connections[alias].settings_dict.update(credentials)
        settings.DATABASES[alias].update(credentials)


def pytest_configure(config):
    # Hashing passwords for real costs ~0.2 s per user on this machine; the tests create
    # dozens of users. Login behaviour does not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    _use_credentials(settings.DB_OWNER_CREDENTIALS)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            # Transactional (live server) tests empty tables with TRUNCATE between tests.
            cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{settings.DB_APP_ROLE}"')
        _use_credentials(settings.DB_APP_CREDENTIALS)
    yield
    with django_db_blocker.unblock():
        _use_credentials(settings.DB_OWNER_CREDENTIALS)


@pytest.fixture(autouse=True)
def _system_scope_for_fixtures(request):
    """Test code itself creates rows in several organizations, so it runs with the system
    bypass on; every request it makes turns the bypass off for its own duration (and the
    live server's threads never have it)."""
    if not {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', 'on', false)")
    yield
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', '', false)")


@pytest.fixture
def world(db) -> World:
    """Organization A (every role, sites, processes, a plan with actions) and organization B."""
    return build_world()


@pytest.fixture
def as_member(world):
    """Run service calls as a member of organization A with a role (what a request does)."""
    from qse.models import Membership
    from qse.tenancy import activate, scope_restored

    def activate_role(role):
        user = world.a.users[role]
        activate(Membership.objects.select_related("organization").get(user=user, organization=world.a.organization))
        return user

    with scope_restored():
        yield activate_role


@pytest.fixture(autouse=True)
def _email_to_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
