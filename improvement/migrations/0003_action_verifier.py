# The effectiveness verifier named on an action (never its owner).

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('improvement', '0002_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='action',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='action',
            name='update_update',
        ),
        migrations.AddField(
            model_name='action',
            name='verifier',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions_to_verify', to=settings.AUTH_USER_MODEL, verbose_name='effectiveness verifier'),
        ),
        migrations.AddField(
            model_name='actionevent',
            name='verifier',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='effectiveness verifier'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='action',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "improvement_actionevent" ("archived_at", "created_at", "created_by_id", "deliverable", "description", "done_on", "due_on", "effectiveness_checked_by_id", "effectiveness_checked_on", "effectiveness_comment", "effectiveness_criterion", "effectiveness_result", "id", "organization_id", "origin_id", "origin_kind", "origin_type_id", "owner_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "plan_id", "priority", "process_id", "progress", "site_id", "start_on", "status", "title", "updated_at", "verifier_id", "version") VALUES (NEW."archived_at", NEW."created_at", NEW."created_by_id", NEW."deliverable", NEW."description", NEW."done_on", NEW."due_on", NEW."effectiveness_checked_by_id", NEW."effectiveness_checked_on", NEW."effectiveness_comment", NEW."effectiveness_criterion", NEW."effectiveness_result", NEW."id", NEW."organization_id", NEW."origin_id", NEW."origin_kind", NEW."origin_type_id", NEW."owner_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."plan_id", NEW."priority", NEW."process_id", NEW."progress", NEW."site_id", NEW."start_on", NEW."status", NEW."title", NEW."updated_at", NEW."verifier_id", NEW."version"); RETURN NULL;', hash='10eedf35ead724303fcead16dc1e9829d8b244f4', operation='INSERT', pgid='pgtrigger_insert_insert_da3b2', table='improvement_action', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='action',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "improvement_actionevent" ("archived_at", "created_at", "created_by_id", "deliverable", "description", "done_on", "due_on", "effectiveness_checked_by_id", "effectiveness_checked_on", "effectiveness_comment", "effectiveness_criterion", "effectiveness_result", "id", "organization_id", "origin_id", "origin_kind", "origin_type_id", "owner_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "plan_id", "priority", "process_id", "progress", "site_id", "start_on", "status", "title", "updated_at", "verifier_id", "version") VALUES (NEW."archived_at", NEW."created_at", NEW."created_by_id", NEW."deliverable", NEW."description", NEW."done_on", NEW."due_on", NEW."effectiveness_checked_by_id", NEW."effectiveness_checked_on", NEW."effectiveness_comment", NEW."effectiveness_criterion", NEW."effectiveness_result", NEW."id", NEW."organization_id", NEW."origin_id", NEW."origin_kind", NEW."origin_type_id", NEW."owner_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."plan_id", NEW."priority", NEW."process_id", NEW."progress", NEW."site_id", NEW."start_on", NEW."status", NEW."title", NEW."updated_at", NEW."verifier_id", NEW."version"); RETURN NULL;', hash='003532d30142110741ebe2c4eb02eb195bb52160', operation='UPDATE', pgid='pgtrigger_update_update_1a76d', table='improvement_action', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('verifier__isnull', True), models.Q(('verifier', models.F('owner')), _negated=True), _connector='OR'), name='action_verifier_is_not_the_owner', violation_error_message='The owner of an action cannot be its effectiveness verifier.'),
        ),
    ]
