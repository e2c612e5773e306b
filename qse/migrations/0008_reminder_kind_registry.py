# Reminder kinds are registered by the apps (qse.reminders.register_kind): no choices here,
# a longer name and a validator against the registry.

from django.db import migrations, models

import qse.models.notifications


class Migration(migrations.Migration):

    dependencies = [
        ('qse', '0007_effectiveness_policy'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reminder',
            name='kind',
            field=models.CharField(max_length=60, validators=[qse.models.notifications.validate_reminder_kind], verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='reminderevent',
            name='kind',
            field=models.CharField(max_length=60, validators=[qse.models.notifications.validate_reminder_kind], verbose_name='kind'),
        ),
    ]
