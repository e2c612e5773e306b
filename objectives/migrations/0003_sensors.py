# Sensor devices (with history) and the raw, partitioned tables of their readings.

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

from objectives import sensors_sql


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pghistory', '0007_auto_20250421_0444'),
        ('qse', '0009_table_config'),
        ('objectives', '0002_refresh_schedule'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Device',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('archived_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='archived at')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('code', models.SlugField(help_text='Names the device in CSV and JSON batches.', max_length=40, verbose_name='code')),
                ('kind', models.CharField(choices=[('noise_meter', 'Noise meter'), ('gas_detector', 'Gas detector'), ('air_quality', 'Air quality station'), ('energy_meter', 'Energy meter'), ('water_meter', 'Water meter'), ('other', 'Other sensor')], max_length=20, verbose_name='kind')),
                ('unit', models.CharField(help_text='dB(A), ppm, µg/m³, kWh, m³...', max_length=20, verbose_name='unit')),
                ('valid_min', models.FloatField(verbose_name='lowest valid value')),
                ('valid_max', models.FloatField(verbose_name='highest valid value')),
                ('limit_low', models.FloatField(blank=True, null=True, verbose_name='low limit')),
                ('limit_high', models.FloatField(blank=True, null=True, verbose_name='high limit')),
                ('location', models.CharField(blank=True, max_length=200, verbose_name='location')),
                ('token_prefix', models.CharField(blank=True, editable=False, max_length=8, verbose_name='token')),
                ('token_digest', models.CharField(blank=True, editable=False, max_length=64)),
                ('token_created_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='token issued at')),
                ('token_revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='token revoked at')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)ss', to='qse.organization', verbose_name='organization')),
                ('site', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='devices', to='qse.site', verbose_name='site')),
            ],
            options={
                'verbose_name': 'sensor',
                'verbose_name_plural': 'sensors',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='DeviceEvent',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('id', models.BigIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('archived_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='archived at')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('code', models.SlugField(db_index=False, help_text='Names the device in CSV and JSON batches.', max_length=40, verbose_name='code')),
                ('kind', models.CharField(choices=[('noise_meter', 'Noise meter'), ('gas_detector', 'Gas detector'), ('air_quality', 'Air quality station'), ('energy_meter', 'Energy meter'), ('water_meter', 'Water meter'), ('other', 'Other sensor')], max_length=20, verbose_name='kind')),
                ('unit', models.CharField(help_text='dB(A), ppm, µg/m³, kWh, m³...', max_length=20, verbose_name='unit')),
                ('valid_min', models.FloatField(verbose_name='lowest valid value')),
                ('valid_max', models.FloatField(verbose_name='highest valid value')),
                ('limit_low', models.FloatField(blank=True, null=True, verbose_name='low limit')),
                ('limit_high', models.FloatField(blank=True, null=True, verbose_name='high limit')),
                ('location', models.CharField(blank=True, max_length=200, verbose_name='location')),
                ('token_prefix', models.CharField(blank=True, editable=False, max_length=8, verbose_name='token')),
                ('token_created_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='token issued at')),
                ('token_revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='token revoked at')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('organization', models.ForeignKey(db_constraint=False, editable=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='qse.organization', verbose_name='organization')),
                ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='objectives.device')),
                ('site', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='qse.site', verbose_name='site')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.UniqueConstraint(fields=('organization', 'code'), name='objectives_device_code_unique', violation_error_message='Another sensor already has this code.'),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.UniqueConstraint(condition=models.Q(('token_digest', ''), _negated=True), fields=('token_digest',), name='objectives_device_token_unique'),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(('valid_min__lt', models.F('valid_max'))), name='objectives_device_valid_range', violation_error_message='The lowest valid value must be below the highest.'),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(('limit_low__isnull', True), ('limit_high__isnull', True), ('limit_low__lt', models.F('limit_high')), _connector='OR'), name='objectives_device_limits', violation_error_message='The low limit must be below the high limit.'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='device',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "objectives_deviceevent" ("archived_at", "code", "created_at", "created_by_id", "id", "kind", "limit_high", "limit_low", "location", "name", "organization_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "site_id", "token_created_at", "token_prefix", "token_revoked_at", "unit", "updated_at", "valid_max", "valid_min", "version") VALUES (NEW."archived_at", NEW."code", NEW."created_at", NEW."created_by_id", NEW."id", NEW."kind", NEW."limit_high", NEW."limit_low", NEW."location", NEW."name", NEW."organization_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."site_id", NEW."token_created_at", NEW."token_prefix", NEW."token_revoked_at", NEW."unit", NEW."updated_at", NEW."valid_max", NEW."valid_min", NEW."version"); RETURN NULL;', hash='c11e9c67725f1678a1267d8e19ee2018a909755a', operation='INSERT', pgid='pgtrigger_insert_insert_b994d', table='objectives_device', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='device',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."archived_at" IS DISTINCT FROM (NEW."archived_at") OR OLD."code" IS DISTINCT FROM (NEW."code") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."created_by_id" IS DISTINCT FROM (NEW."created_by_id") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."limit_high" IS DISTINCT FROM (NEW."limit_high") OR OLD."limit_low" IS DISTINCT FROM (NEW."limit_low") OR OLD."location" IS DISTINCT FROM (NEW."location") OR OLD."name" IS DISTINCT FROM (NEW."name") OR OLD."organization_id" IS DISTINCT FROM (NEW."organization_id") OR OLD."site_id" IS DISTINCT FROM (NEW."site_id") OR OLD."token_created_at" IS DISTINCT FROM (NEW."token_created_at") OR OLD."token_prefix" IS DISTINCT FROM (NEW."token_prefix") OR OLD."token_revoked_at" IS DISTINCT FROM (NEW."token_revoked_at") OR OLD."unit" IS DISTINCT FROM (NEW."unit") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at") OR OLD."valid_max" IS DISTINCT FROM (NEW."valid_max") OR OLD."valid_min" IS DISTINCT FROM (NEW."valid_min") OR OLD."version" IS DISTINCT FROM (NEW."version"))', func='INSERT INTO "objectives_deviceevent" ("archived_at", "code", "created_at", "created_by_id", "id", "kind", "limit_high", "limit_low", "location", "name", "organization_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "site_id", "token_created_at", "token_prefix", "token_revoked_at", "unit", "updated_at", "valid_max", "valid_min", "version") VALUES (NEW."archived_at", NEW."code", NEW."created_at", NEW."created_by_id", NEW."id", NEW."kind", NEW."limit_high", NEW."limit_low", NEW."location", NEW."name", NEW."organization_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."site_id", NEW."token_created_at", NEW."token_prefix", NEW."token_revoked_at", NEW."unit", NEW."updated_at", NEW."valid_max", NEW."valid_min", NEW."version"); RETURN NULL;', hash='6b148d5ac23145b73961a043f67818a74a9459c5', operation='UPDATE', pgid='pgtrigger_update_update_dd83c', table='objectives_device', when='AFTER')),
        ),
        # Readings (partitioned by month), roll-ups, the queue of hours to roll up, the latest
        # state per device, their tenant policies and the two SECURITY DEFINER functions.
        migrations.RunSQL(sensors_sql.CREATE_TABLES + sensors_sql.PROTECT_TABLES, sensors_sql.DROP_ALL),
        migrations.RunSQL(sensors_sql.CREATE_PARTITION_FUNCTION + sensors_sql.CREATE_TOKEN_FUNCTION, migrations.RunSQL.noop),
        migrations.RunSQL(sensors_sql.INITIAL_PARTITIONS, migrations.RunSQL.noop),
    ]
