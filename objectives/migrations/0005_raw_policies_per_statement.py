"""The raw sensor tables' tenant policy reads its settings once per statement (an InitPlan),
not once per row; the partition function gives new partitions the same policy."""

from django.db import migrations

from objectives import sensors_sql
from qse.rls import TENANT_CONDITION

PARTITION_FUNCTION = sensors_sql.CREATE_PARTITION_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


class Migration(migrations.Migration):

    dependencies = [("objectives", "0004_sensor_schedules")]

    operations = [
        migrations.RunSQL(
            sensors_sql.alter_policies_sql(sensors_sql.RAW_CONDITION) + PARTITION_FUNCTION,
            sensors_sql.alter_policies_sql(TENANT_CONDITION)
            + PARTITION_FUNCTION.replace(sensors_sql.RAW_CONDITION, TENANT_CONDITION),
        ),
    ]
