"""Row-level security as the backstop: the application's database role sees only the
active organization's rows, cannot write into another, and cannot rewrite history."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from improvement.models import Action
from qse import rls
from qse.tenancy import organization_context


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_application_role_owns_no_table_and_cannot_bypass_rls(db):
    assert _scalar("SELECT current_user") == settings.DB_APP_ROLE
    assert _scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user") == 0
    assert _scalar("SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user") is False


def test_every_tenant_table_forces_a_tenant_policy(db):
    tables = [table for table, _ in rls.tenant_tables()]
    assert "improvement_action" in tables and "improvement_actionevent" in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policies p ON p.tablename = c.relname "
            "WHERE c.relrowsecurity AND c.relforcerowsecurity AND p.policyname = 'tenant_isolation'"
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= protected


def test_raw_sql_sees_only_the_active_organization(world):
    with organization_context(world.a.organization):
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT organization_id FROM improvement_action")
            assert [row[0] for row in cursor.fetchall()] == [world.a.organization.pk]


def test_without_an_active_organization_nothing_is_visible(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', 'off', true)")
        cursor.execute("SELECT count(*) FROM improvement_action")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT set_config('qse.all_organizations', 'on', true)")


def test_writing_a_row_into_another_organization_is_refused(world):
    with pytest.raises(DatabaseError), organization_context(world.a.organization), transaction.atomic():
        Action.objects.filter(pk=world.a.actions[0].pk).update(organization=world.b.organization)


def test_history_cannot_be_rewritten_by_the_application(world):
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE improvement_actionevent SET title = 'forged'")


def test_bulk_updates_are_caught_by_the_history_triggers(world):
    action = world.a.actions[0]
    before = action.events.count()
    Action.objects.filter(pk=action.pk).update(title="Titre changé en masse")
    assert action.events.count() == before + 1
    assert action.events.order_by("-pgh_id").first().title == "Titre changé en masse"
