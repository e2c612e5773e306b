"""Links the existing events to the supplier of the register their "customer or supplier" names.

Before, the supplier scorecard matched events to suppliers by name (case and spaces aside,
customer complaints left out: their party is the customer). The same rule links them once by
key here, and only where the name is that of exactly one supplier of the event's organization:
two suppliers of the same name are left for a person to choose. Row-level security applies to
the owner too (FORCE), hence the "all organizations" setting, local to the migration's transaction.
"""

from django.db import migrations

LINK_SQL = """
SELECT set_config('qse.all_organizations', 'on', true);
UPDATE nonconformities_event AS event SET supplier_id = named.id
FROM (
    SELECT organization_id, lower(btrim(name)) AS name_key, min(id) AS id
    FROM audits_supplier
    GROUP BY organization_id, lower(btrim(name))
    HAVING count(*) = 1
) AS named
WHERE event.supplier_id IS NULL
  AND event.third_party <> ''
  AND event.event_type <> 'customer_complaint'
  AND event.organization_id = named.organization_id
  AND lower(btrim(event.third_party)) = named.name_key;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("nonconformities", "0002_auditfix_event_supplier"),
    ]

    operations = [
        migrations.RunSQL(LINK_SQL, reverse_sql=migrations.RunSQL.noop),
    ]
