"""PostgreSQL row-level security: the backstop behind ``restrict()``.

After every migrate (run as the owner role), every table with an ``organization_id``
column gets FORCE ROW LEVEL SECURITY and one policy, and the application role gets the
privileges it needs and no more: history tables are insert-only for it.
"""

from django.apps import apps
from django.conf import settings
from django.db import connection

TENANT_CONDITION = (
    "organization_id = NULLIF(current_setting('qse.organization_id', true), '')::bigint"
    " OR current_setting('qse.all_organizations', true) = 'on'"
)
# The same condition with each setting read once per statement (an InitPlan) rather than once
# per row: for the tables a statement writes or reads by the hundred thousand (sensor readings
# and their roll-ups), 0.13 us a row of an INSERT through the policy.
TENANT_CONDITION_PER_STATEMENT = (
    "organization_id = (SELECT NULLIF(current_setting('qse.organization_id', true), '')::bigint)"
    " OR (SELECT current_setting('qse.all_organizations', true) = 'on')"
)
MEMBER_CONDITION = "user_id = NULLIF(current_setting('qse.user_id', true), '')::bigint"


def tenant_tables() -> list[tuple[str, bool]]:
    """(table, is_membership) for every concrete model holding an organization_id column."""
    tables = []
    for model in apps.get_models():
        if model._meta.proxy or not getattr(model, "tenant_table", True):
            continue
        fields = {f.column for f in model._meta.concrete_fields}
        if "organization_id" in fields:
            tables.append((model._meta.db_table, model._meta.label == "qse.Membership"))
    return sorted(tables)


def user_tables() -> list[str]:
    """Tables of a person's own preferences (``user_table = True``): no organization, one user."""
    return sorted(m._meta.db_table for m in apps.get_models() if getattr(m, "user_table", False) and not m._meta.proxy)


def history_tables() -> list[str]:
    from pghistory.models import Event

    return sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, Event) and not m._meta.proxy)


def install_policies() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation'")
        existing = {row[0] for row in cursor.fetchall()}
        for table, is_membership in tenant_tables():
            if table in existing:
                continue
            using = f"({TENANT_CONDITION} OR {MEMBER_CONDITION})" if is_membership else f"({TENANT_CONDITION})"
            cursor.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            cursor.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            cursor.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING {using} WITH CHECK ({TENANT_CONDITION})'
            )
        _install_user_policies(cursor)


def _install_user_policies(cursor) -> None:
    """A user table's rows are seen and written only by their user (or by system tasks)."""
    cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = 'user_isolation'")
    existing = {row[0] for row in cursor.fetchall()}
    condition = f"({MEMBER_CONDITION} OR current_setting('qse.all_organizations', true) = 'on')"
    for table in user_tables():
        if table in existing:
            continue
        cursor.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        cursor.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        cursor.execute(f'CREATE POLICY user_isolation ON "{table}" USING {condition} WITH CHECK {condition}')


def grant_application_role() -> None:
    app_role = settings.DB_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == app_role:
            return
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app_role}"')
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"')
        for table in history_tables():
            # History is evidence: the application may add to it, never rewrite it.
            cursor.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM "{app_role}"')


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if using != "default" or sender.label != "qse":
        return
    install_policies()
    grant_application_role()
