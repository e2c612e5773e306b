# Who verifies that an action was effective: a setting of the organization.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('qse', '0006_report_dedupe'),
    ]

    operations = [
        migrations.AddField(
            model_name='organization',
            name='effectiveness_verified_by',
            field=models.CharField(choices=[('coordinator', 'A coordinator'), ('coordinator_or_named_verifier', 'A coordinator or the verifier named on the action')], default='coordinator_or_named_verifier', max_length=40, verbose_name='effectiveness verified by'),
        ),
    ]
